using System.Text;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class PlainTextReaderTests
{
    const string Sample = "知识库支持中文\r\n和英文文档。\r\n\r\n\r\nThe  index is\tbuilt\nlocally.  \n   \nLast line";

    static readonly B[] Expected =
    [
        new(BlockKind.Paragraph, "知识库支持中文和英文文档。"),
        new(BlockKind.Paragraph, "The index is built locally."),
        new(BlockKind.Paragraph, "Last line"),
    ];

    [Fact]
    public void Utf8WithoutBomSplitsParagraphsOnBlankLinesAndJoinsChineseLinesWithoutASpace()
    {
        var doc = Read(new PlainTextReader(), Encoding.UTF8.GetBytes(Sample), "a.txt");
        Blocks(doc, Expected);
        Assert.Equal("知识库支持中文和英文文档。\n\nThe index is built locally.\n\nLast line", doc.Text);
        Assert.Empty(doc.Warnings);
        Assert.Equal(1, doc.Pages);
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    [InlineData("gb18030")]
    [InlineData("gbk")]
    public void EveryEncodingDecodesToTheSameBlocks(string encoding)
    {
        byte[] bytes = encoding switch
        {
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Sample)],
            "utf-16le" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Sample)],
            "utf-16be" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Sample)],
            "utf-32le" => [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(Sample)],
            "gb18030" => TextDecoder.Gb18030.GetBytes(Sample),
            _ => CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes(Sample),
        };
        Blocks(Read(new PlainTextReader(), bytes, "a.txt"), Expected);
    }

    [Fact]
    public void GbkBytesAreNotValidUtf8SoTheFallbackIsExercised()
    {
        var gbk = TextDecoder.Gb18030.GetBytes("中文");
        Assert.Equal(new byte[] { 0xD6, 0xD0, 0xCE, 0xC4 }, gbk);
        Assert.Equal("中文", TextDecoder.Decode(gbk, "a.txt", null, out var used));
        Assert.Equal(54936, used.CodePage);
    }

    [Fact]
    public void CodePagesComeFromTheSharedFrameworkNotAPackage()
    {
        var location = typeof(CodePagesEncodingProvider).Assembly.Location;
        Assert.Contains("Microsoft.NETCore.App", location);
    }

    [Fact]
    public void BinaryContentIsRejectedWithAReason()
    {
        var e = Fails(new PlainTextReader(), [0x41, 0x00, 0x42, 0x00, 0x43, 0x00, 0x01, 0x02], "blob.txt");
        Assert.Equal("binary content (NUL bytes), not a text file", e.Reason);
    }

    [Fact]
    public void AByteOrderMarkFollowedByInvalidBytesIsReported()
    {
        var e = Fails(new PlainTextReader(), [0xEF, 0xBB, 0xBF, 0xC3, 0x28, 0x41], "bad.txt");
        Assert.Contains("not valid UTF-8", e.Reason);
    }

    [Fact]
    public void AnEmptyFileHasNoBlocks()
    {
        var doc = Read(new PlainTextReader(), [], "empty.txt");
        Assert.Empty(doc.Blocks);
        Assert.Equal("", doc.Text);
    }

    [Fact]
    public void ZeroWidthAndNonBreakingSpacesAreNormalised()
    {
        var doc = Read(new PlainTextReader(), Encoding.UTF8.GetBytes("\uFEFFa\u00A0\u00A0b\u200Bc\u3000d"), "a.txt");
        Blocks(doc, new B(BlockKind.Paragraph, "a bc d"));
    }
}

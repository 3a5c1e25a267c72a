using Baimo.Knowledge.Chunking;

namespace Baimo.Knowledge.Tests.Analysis;

public class SentenceSplitterTests
{
    private static string[] Sentences(string text) =>
        SentenceSplitter.Split(text).Select(r => text.Substring(r.Start, r.Length)).ToArray();

    [Fact]
    public void ChineseTerminatorsAndClosingQuotes()
    {
        Assert.Equal(["你好。", "今天天气很好！", "他说：“走吧。”", "是吗？", "还有；", "尾巴"],
            Sentences("你好。今天天气很好！他说：“走吧。”是吗？还有；尾巴"));
    }

    [Fact]
    public void EnglishSkipsDecimalsAbbreviationsAndInitials()
    {
        Assert.Equal(["Dr. Smith paid 3.50 dollars. ", "J. Doe agreed! ", "Done"],
            Sentences("Dr. Smith paid 3.50 dollars. J. Doe agreed! Done"));
    }

    [Fact]
    public void RangesCoverTheTextWithoutGaps()
    {
        const string text = "第一句。 Second one. 第三句！\n第四行";
        var ranges = SentenceSplitter.Split(text);
        int pos = 0;
        foreach (var (start, length) in ranges) { Assert.Equal(pos, start); pos += length; }
        Assert.Equal(text.Length, pos);
    }

    [Theory]
    [InlineData("中文", 2)]
    [InlineData("hello world", 3)]
    [InlineData("中文 hello，", 5)]
    [InlineData("", 0)]
    public void TokenEstimate(string text, int tokens) => Assert.Equal(tokens, TokenEstimator.Count(text));
}

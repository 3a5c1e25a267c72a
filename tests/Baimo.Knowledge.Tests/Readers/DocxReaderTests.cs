using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using Baimo.Knowledge.Tests.Corpus;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class DocxReaderTests
{
    [Fact]
    public void EnglishHeadingsListsAndTables()
    {
        var docx = DocxWriter.Write(
        [
            new SampleHeading(0, "Travel Policy"),
            new SampleHeading(1, "Scope"),
            new SampleParagraph("Applies to   all staff."),
            new SampleHeading(2, "Booking"),
            new SampleListItem("Book economy class"),
            new SampleListItem("Exceptions need approval", 1),
            new SampleListItem("Submit receipts", 0, Numbered: true),
            new SampleTable(["Item", "Limit"], [["Hotel", "150 EUR"], ["Meals", "40 EUR"]]),
            new SampleCode("line one\nline two"),
        ], title: "Travel Policy 2026");
        var doc = Read(new DocxReader(), docx, "policy.docx");
        Assert.Equal("Travel Policy 2026", doc.Title);
        Blocks(doc,
            new(BlockKind.Heading, "Travel Policy", 1),
            new(BlockKind.Heading, "Scope", 1),
            new(BlockKind.Paragraph, "Applies to all staff."),
            new(BlockKind.Heading, "Booking", 2),
            new(BlockKind.ListItem, "Book economy class", 0),
            new(BlockKind.ListItem, "Exceptions need approval", 1),
            new(BlockKind.ListItem, "Submit receipts", 0),
            new(BlockKind.TableRow, "Item | Limit"),
            new(BlockKind.TableRow, "Hotel | 150 EUR", Header: "Item | Limit"),
            new(BlockKind.TableRow, "Meals | 40 EUR", Header: "Item | Limit"),
            new(BlockKind.Paragraph, "line one line two"));
    }

    [Fact]
    public void ChineseDocumentWithLocalisedStyleIds()
    {
        var docx = DocxWriter.Write(
        [
            new SampleHeading(0, "报销制度"),
            new SampleHeading(1, "适用范围"),
            new SampleParagraph("本制度适用于全体员工。"),
            new SampleHeading(3, "住宿标准"),
            new SampleListItem("一线城市每晚不超过六百元", 0, Numbered: true),
            new SampleTable(["城市", "标准"], [["北京", "600元"], ["成都", "400元"]]),
        ], localizedStyleIds: true);
        var doc = Read(new DocxReader(), docx, "制度.docx");
        Assert.Equal("报销制度", doc.Title); // no core title: the Title-style paragraph stands in
        Blocks(doc,
            new(BlockKind.Heading, "报销制度", 1),
            new(BlockKind.Heading, "适用范围", 1),
            new(BlockKind.Paragraph, "本制度适用于全体员工。"),
            new(BlockKind.Heading, "住宿标准", 3),
            new(BlockKind.ListItem, "一线城市每晚不超过六百元", 0),
            new(BlockKind.TableRow, "城市 | 标准"),
            new(BlockKind.TableRow, "北京 | 600元", Header: "城市 | 标准"),
            new(BlockKind.TableRow, "成都 | 400元", Header: "城市 | 标准"));
    }

    [Fact]
    public void TruncatedZipIsDamaged()
    {
        var docx = DocxWriter.Write([new SampleParagraph(new string('x', 5000))]);
        var e = Fails(new DocxReader(), OfficeFiles.Truncated(docx), "cut.docx");
        Assert.StartsWith("the .docx file is damaged or incomplete (", e.Reason);
    }

    [Fact]
    public void RandomBytesAreNotADocx()
    {
        Assert.Equal("not a .docx file (it is not a zip package)", Fails(new DocxReader(), OfficeFiles.RandomBytes(1), "r.docx").Reason);
        Assert.StartsWith("the .docx file is damaged", Fails(new DocxReader(), OfficeFiles.ZipHeaderThenGarbage(2), "z.docx").Reason);
    }

    [Fact]
    public void AnEncryptedFileSaysSo()
    {
        var e = Fails(new DocxReader(), OfficeFiles.CompoundFile(), "secret.docx");
        Assert.StartsWith("password-protected (encrypted) or a legacy binary Office file", e.Reason);
    }
}

using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using Baimo.Knowledge.Tests.Corpus;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

/// <summary>
/// English only: PdfPig's builder writes CJK text only with an embedded TrueType CJK font, and none is installed
/// on the build machines (only Liberation and DejaVu, which have no Han glyphs).
/// </summary>
public class PdfReaderTests
{
    const string Long = "Hybrid retrieval combines full-text ranking with vector similarity so that exact terms "
                        + "such as part numbers and paraphrased questions are both found, then fuses the two lists.";

    [Fact]
    public void HeadingsParagraphsAndListItemsPerPage()
    {
        var pdf = PdfWriter.Write(
        [
            [
                new SampleHeading(1, "Annual Report 2026"),
                new SampleParagraph(Long),
                new SampleHeading(2, "Highlights"),
                new SampleListItem("Revenue grew by 12%"),
                new SampleListItem("Two new offices opened"),
                new SampleParagraph("Closing remarks."),
            ],
            null,
            [new SampleParagraph("Appendix text on the third page.")],
        ]);
        var doc = Read(new PdfReader(), pdf, "report.pdf");
        Blocks(doc,
            new(BlockKind.Heading, "Annual Report 2026", 1, "page 1"),
            new(BlockKind.Paragraph, Long, 0, "page 1"),
            new(BlockKind.Heading, "Highlights", 2, "page 1"),
            new(BlockKind.ListItem, "Revenue grew by 12%", 0, "page 1"),
            new(BlockKind.ListItem, "Two new offices opened", 0, "page 1"),
            new(BlockKind.Paragraph, "Closing remarks.", 0, "page 1"),
            new(BlockKind.Paragraph, "Appendix text on the third page.", 0, "page 3"));
        Assert.Equal(["page 2: no text (scanned?)"], doc.Warnings);
        Assert.Equal(3, doc.Pages);
    }

    [Fact]
    public void ADocumentWithoutAnyTextLayerGetsOneWarning()
    {
        var doc = Read(new PdfReader(), PdfWriter.Write([null, null]), "scan.pdf");
        Assert.Empty(doc.Blocks);
        Assert.Equal([PdfReader.NoTextWarning], doc.Warnings);
        Assert.Equal("no text (scanned?)", PdfReader.NoTextWarning);
        Assert.Equal(2, doc.Pages);
    }

    [Fact]
    public void RandomBytesAreNotAPdf()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        var e = Fails(new PdfReader(), bytes, "x.pdf");
        Assert.Equal("not a PDF file (no %PDF header)", e.Reason);
    }

    [Fact]
    public void AHeaderFollowedByGarbageIsReportedAsDamaged()
    {
        var bytes = new byte[4096];
        new Random(8).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        var e = Fails(new PdfReader(), bytes, "x.pdf");
        Assert.StartsWith("the PDF is damaged", e.Reason);
    }

    [Fact]
    public void ATruncatedPdfIsReportedAsDamaged()
    {
        var pdf = PdfWriter.Write([[new SampleParagraph("First page.")], [new SampleParagraph("Second page.")]]);
        var e = Fails(new PdfReader(), pdf[..(pdf.Length / 3)], "cut.pdf");
        Assert.StartsWith("the PDF is damaged or uses features that cannot be read (", e.Reason);
    }
}

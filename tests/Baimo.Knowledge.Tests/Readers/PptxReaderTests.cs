using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using Baimo.Knowledge.Tests.Corpus;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class PptxReaderTests
{
    [Fact]
    public void SlidesTitlesBulletsTextBoxesAndTables()
    {
        var pptx = PptxWriter.Write(
        [
            ("Roadmap 2026", [new SampleListItem("Ship hybrid search"), new SampleListItem("Tune BM25", 1), new SampleParagraph("Draft, not final")]),
            (null, [new SampleParagraph("A slide without a title")]),
            ("季度目标", [new SampleListItem("完成中文分词"), new SampleTable(["目标", "负责人"], [["检索", "王芳"], ["问答", "李雷"]])]),
        ], title: "Roadmap deck");
        var doc = Read(new PptxReader(), pptx, "roadmap.pptx");
        Assert.Equal("Roadmap deck", doc.Title);
        Assert.Equal(3, doc.Pages);
        Blocks(doc,
            new(BlockKind.Heading, "Roadmap 2026", 1, "slide 1"),
            new(BlockKind.ListItem, "Ship hybrid search", 0, "slide 1"),
            new(BlockKind.ListItem, "Tune BM25", 1, "slide 1"),
            new(BlockKind.Paragraph, "Draft, not final", 0, "slide 1"),
            new(BlockKind.Paragraph, "A slide without a title", 0, "slide 2"),
            new(BlockKind.Heading, "季度目标", 1, "slide 3"),
            new(BlockKind.ListItem, "完成中文分词", 0, "slide 3"),
            new(BlockKind.TableRow, "目标 | 负责人", 0, "slide 3"),
            new(BlockKind.TableRow, "检索 | 王芳", 0, "slide 3", "目标 | 负责人"),
            new(BlockKind.TableRow, "问答 | 李雷", 0, "slide 3", "目标 | 负责人"));
    }

    [Fact]
    public void BrokenDecks()
    {
        var pptx = PptxWriter.Write(Enumerable.Range(0, 40).Select(i => ((string?)$"Slide {i}", new SampleItem[] { new SampleParagraph($"text {i}") })));
        Assert.StartsWith("the .pptx file is damaged or incomplete (", Fails(new PptxReader(), OfficeFiles.Truncated(pptx), "cut.pptx").Reason);
        Assert.Equal("not a .pptx file (it is not a zip package)", Fails(new PptxReader(), OfficeFiles.RandomBytes(4), "r.pptx").Reason);
        Assert.StartsWith("password-protected", Fails(new PptxReader(), OfficeFiles.CompoundFile(), "p.pptx").Reason);
    }
}

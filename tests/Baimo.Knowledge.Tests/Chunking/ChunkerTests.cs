using Baimo.Knowledge.Chunking;
using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Tests.Chunking;

public class ChunkerTests
{
    private static IReadOnlyList<Chunk> Cut(ExtractedDocument doc, int size = 60, int overlap = 0) =>
        new DocumentChunker(new ChunkingOptions { ChunkTokens = size, OverlapTokens = overlap }).Chunk(doc);

    private static void AssertOffsetsSliceTheText(ExtractedDocument doc, IReadOnlyList<Chunk> chunks)
    {
        foreach (var c in chunks)
        {
            var slice = doc.Text.Substring(c.Start, c.Length);
            Assert.True(c.Text == slice || c.Text.EndsWith("\n" + slice, StringComparison.Ordinal), $"chunk {c.Ordinal}: '{c.Text}' vs '{slice}'");
        }
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void HeadingsStartSectionsAndFormThePath()
    {
        var doc = new DocBuilder()
            .Heading("Guide", 1).Heading("Install", 2).Paragraph("Run the installer.")
            .Heading("Usage", 2).Paragraph("Type a question.")
            .Heading("Appendix", 1).Paragraph("Nothing here.")
            .Build();
        var chunks = Cut(doc);
        AssertOffsetsSliceTheText(doc, chunks);
        Assert.Equal(3, chunks.Count);
        Assert.Equal(["Guide", "Install"], chunks[0].HeadingPath);
        Assert.Equal("Guide\n\nInstall\n\nRun the installer.", chunks[0].Text);
        Assert.Equal(["Guide", "Usage"], chunks[1].HeadingPath);
        Assert.Equal(["Appendix"], chunks[2].HeadingPath);
        Assert.Equal("Appendix\n\nNothing here.", chunks[2].Text);
    }

    [Fact]
    public void SmallParagraphsShareAChunkButAreNeverCutWhenTheyFit()
    {
        string p1 = string.Concat(Enumerable.Repeat("甲乙丙丁戊。", 6));   // 36 tokens
        string p2 = string.Concat(Enumerable.Repeat("己庚辛壬癸。", 6));   // 36 tokens
        var doc = new DocBuilder().Paragraph("短段。").Paragraph(p1).Paragraph(p2).Build();
        var chunks = Cut(doc, size: 60);
        AssertOffsetsSliceTheText(doc, chunks);
        Assert.Equal(["短段。\n\n" + p1, p2], chunks.Select(c => c.Text));
    }

    [Fact]
    public void LongParagraphIsCutBetweenSentencesWithOverlap()
    {
        var sentences = Enumerable.Range(0, 12).Select(i => $"第{i}句话说了一些事情。").ToArray(); // 11 tokens each
        var doc = new DocBuilder().Paragraph(string.Concat(sentences)).Build();
        var chunks = Cut(doc, size: 50, overlap: 12);
        AssertOffsetsSliceTheText(doc, chunks);
        Assert.True(chunks.Count >= 3);
        foreach (var c in chunks)
        {
            Assert.EndsWith("。", c.Text);
            Assert.True(c.Tokens <= 50, $"{c.Tokens} tokens");
        }
        // The last sentence of each chunk opens the next one.
        for (int i = 1; i < chunks.Count; i++)
        {
            var last = sentences.Last(s => chunks[i - 1].Text.EndsWith(s, StringComparison.Ordinal));
            Assert.StartsWith(last, chunks[i].Text);
        }
        Assert.EndsWith(sentences[^1], chunks[^1].Text);
    }

    [Fact]
    public void ASentenceLongerThanTheBudgetIsCutAtSoftBreaks()
    {
        string text = string.Join(", ", Enumerable.Range(0, 80).Select(i => "word" + i)) + ".";
        var doc = new DocBuilder().Paragraph(text).Build();
        var chunks = Cut(doc, size: 30);
        AssertOffsetsSliceTheText(doc, chunks);
        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.True(c.Tokens <= 30, $"{c.Tokens}"));
        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith(",", c.Text));
        Assert.Equal(text, string.Join(" ", chunks.Select(c => c.Text)));
    }

    [Fact]
    public void TableRowsStayWholeAndEveryChunkRepeatsTheHeader()
    {
        const string header = "Name | Department | Phone";
        var b = new DocBuilder().Heading("Staff", 1).Paragraph("The staff list follows.");
        for (int i = 0; i < 30; i++) b.Row($"Person{i} | Sales | 555-01{i:D2}", header, "sheet Staff");
        var doc = b.Build();
        var chunks = Cut(doc, size: 40);
        AssertOffsetsSliceTheText(doc, chunks);
        var tableChunks = chunks.Where(c => c.Location == "sheet Staff").ToList();
        Assert.True(tableChunks.Count >= 4);
        foreach (var c in tableChunks)
        {
            Assert.StartsWith(header + "\n", c.Text);
            Assert.Equal(["Staff"], c.HeadingPath);
            foreach (var line in c.Text.Split('\n').Skip(1).Where(l => l.Length > 0)) Assert.Matches(@"^Person\d+ \| Sales \| 555-01\d\d$", line);
        }
        var rows = tableChunks.SelectMany(c => c.Text.Split('\n').Skip(1).Where(l => l.Length > 0)).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"Person{i} | Sales | 555-01{i:D2}"), rows);
        Assert.Equal("Staff\n\nThe staff list follows.", chunks[0].Text);
    }

    [Fact]
    public void ANewPageStartsANewChunkAndChunksKeepTheirLocation()
    {
        var doc = new DocBuilder().Paragraph("First page text.", "page 1").Paragraph("Second page text.", "page 2").Build();
        var chunks = Cut(doc, size: 100);
        Assert.Equal([("First page text.", "page 1"), ("Second page text.", "page 2")], chunks.Select(c => (c.Text, c.Location!)));
    }

    [Fact]
    public void CodeIsCutBetweenLines()
    {
        string code = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"x{i} = compute({i})"));
        var doc = new DocBuilder().Code(code).Build();
        var chunks = Cut(doc, size: 40);
        AssertOffsetsSliceTheText(doc, chunks);
        Assert.All(chunks, c => Assert.Matches(@"^x\d+ = compute\(\d+\)(\nx\d+ = compute\(\d+\))*$", c.Text));
    }

    [Fact]
    public void BlocksOutsideTheTextAreRejected()
    {
        var doc = new ExtractedDocument("short", [new DocumentBlock(BlockKind.Paragraph, "short text", 0, 10)], []);
        Assert.Throws<ArgumentException>(() => Cut(doc));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(new ChunkingOptions { ChunkTokens = 100, OverlapTokens = 100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(new ChunkingOptions { ChunkTokens = 4 }));
    }
}

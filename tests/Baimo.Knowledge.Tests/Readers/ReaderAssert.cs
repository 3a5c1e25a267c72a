using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Tests.Readers;

/// <summary>An expected block; compared field by field so a failure shows which block differs and how.</summary>
public sealed record B(BlockKind Kind, string Text, int Level = 0, string? Location = null, string? Header = null);

public static class ReaderAssert
{
    public static ExtractedDocument Read(IDocumentReader reader, byte[] bytes, string fileName)
    {
        var doc = reader.Read(new MemoryStream(bytes), fileName);
        Contract(doc);
        return doc;
    }

    /// <summary>The offset contract the chunker relies on.</summary>
    public static void Contract(ExtractedDocument doc)
    {
        Assert.Equal(string.Join("\n\n", doc.Blocks.Select(b => b.Text)), doc.Text);
        foreach (var b in doc.Blocks)
        {
            Assert.NotEqual("", b.Text);
            Assert.Equal(b.Text.Length, b.Length);
            Assert.Equal(b.Text, doc.Text.Substring(b.Start, b.Length));
            if (b.Kind != BlockKind.Code)
            {
                Assert.Equal(b.Text.Trim(), b.Text);
                Assert.DoesNotContain("  ", b.Text);
                Assert.DoesNotContain("\n", b.Text);
            }
        }
    }

    public static void Blocks(ExtractedDocument doc, params B[] expected)
    {
        var actual = doc.Blocks.Select(b => new B(b.Kind, b.Text, b.Level, b.Location, b.TableHeader)).ToList();
        for (int i = 0; i < Math.Min(expected.Length, actual.Count); i++)
            Assert.True(expected[i] == actual[i], $"block {i}:\n expected {expected[i]}\n actual   {actual[i]}");
        Assert.Equal(expected.Length, actual.Count);
    }

    public static DocumentReadException Fails(IDocumentReader reader, byte[] bytes, string fileName)
    {
        var e = Assert.Throws<DocumentReadException>(() => reader.Read(new MemoryStream(bytes), fileName));
        Assert.Equal(fileName, e.FileName);
        Assert.False(string.IsNullOrWhiteSpace(e.Reason));
        return e;
    }
}

using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Tests.Retrieval;

public class FilterTests
{
    private static async Task<KnowledgeBase> Base(TempDir dir)
    {
        var kb = KnowledgeBase.Create(dir.File("kb.sqlite"), new KnowledgeBaseOptions { Embeddings = new HashingEmbeddingGenerator() });
        foreach (var source in new[] { "reports/2025/q1.pdf", "reports/2025/q2.DOCX", "reports-old/q0.pdf", "notes/budget.md" })
            await kb.AddDocumentAsync(source, source, new DocBuilder().Paragraph($"budget figures in {source}").Build());
        return kb;
    }

    [Theory]
    [InlineData(SearchMode.FullText)]
    [InlineData(SearchMode.Vector)]
    [InlineData(SearchMode.Hybrid)]
    public async Task FolderPrefixAndExtensionRestrictEveryMode(SearchMode mode)
    {
        using var dir = new TempDir();
        using var kb = await Base(dir);
        async Task<string[]> Sources(SearchFilter f) =>
            (await kb.SearchAsync("budget figures", 10, f, mode)).Select(h => h.Source).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(4, (await Sources(SearchFilter.None)).Length);
        Assert.Equal(["reports/2025/q1.pdf", "reports/2025/q2.DOCX"], await Sources(new SearchFilter("reports/")));
        Assert.Equal(["reports-old/q0.pdf", "reports/2025/q1.pdf"], await Sources(new SearchFilter(Extensions: [".pdf"])));
        Assert.Equal(["reports/2025/q2.DOCX"], await Sources(new SearchFilter("reports/", [".docx"])));
        Assert.Equal(["notes/budget.md"], await Sources(new SearchFilter("notes/budget.md")));
        Assert.Empty(await Sources(new SearchFilter("missing/")));
    }

    [Fact]
    public void ExtensionsAreLowerCaseWithTheDot()
    {
        Assert.Equal(".docx", SearchFilter.ExtensionOf("a/B.DOCX"));
        Assert.Equal("", SearchFilter.ExtensionOf("Makefile"));
        Assert.True(new SearchFilter(Extensions: [".PDF"]).Matches("x.pdf", ".pdf"));
    }
}

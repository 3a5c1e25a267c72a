using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Tests.Storage;

public class KnowledgeBaseTests
{
    private static ExtractedDocument Library() => new DocBuilder()
        .Heading("图书馆指南", 1)
        .Heading("开放时间", 2).Paragraph("图书馆周一至周五早上八点开门，晚上十点关门。周末只在下午开放。")
        .Heading("借阅规则", 2).Paragraph("每位读者最多可以借阅十本书，借期为三十天，可以续借一次。")
        .Build("图书馆");

    [Fact]
    public async Task DocumentsAndChunksSurviveReopening()
    {
        using var dir = new TempDir();
        var path = dir.File("kb.sqlite");
        var modified = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using (var kb = KnowledgeBase.Create(path))
        {
            var r = await kb.AddDocumentAsync("guides/library.docx", "h1", Library(), new DocumentMetadata(1234, modified, "docx"));
            Assert.Equal(new IngestResult("guides/library.docx", IngestOutcome.Added, 2, 0), r);
        }
        using var reopened = KnowledgeBase.Open(path);
        var doc = Assert.Single(reopened.Documents());
        Assert.Equal(("guides/library.docx", "h1", 1234L, modified, "docx", 2, "图书馆"),
            (doc.Source, doc.ContentHash, doc.Size, doc.Modified!.Value, doc.Reader!, doc.Chunks, doc.Title!));

        var hits = await reopened.SearchAsync("图书馆几点关门？", k: 2);
        var top = hits[0];
        Assert.Equal(1, top.Rank);
        Assert.Equal("guides/library.docx", top.Source);
        Assert.Equal(["图书馆指南", "开放时间"], top.HeadingPath);
        Assert.Contains("晚上十点关门", top.Text);
        Assert.Equal(Library().Text.Substring(top.Start, top.Length), top.Text);
        Assert.NotNull(top.FullTextScore);
        Assert.Null(top.VectorScore);
        Assert.True(hits.Count < 2 || hits[1].Score <= top.Score);
    }

    [Fact]
    public async Task SameHashIsSkippedAndAChangedHashReplacesEveryChunk()
    {
        using var dir = new TempDir();
        var embedder = new HashingEmbeddingGenerator();
        using var kb = KnowledgeBase.Create(dir.File("kb.sqlite"), new KnowledgeBaseOptions { Embeddings = embedder });
        await kb.AddDocumentAsync("a.txt", "v1", new DocBuilder().Paragraph("The old launch code is Falcon.").Build());
        int calls = embedder.Calls;

        var same = await kb.AddDocumentAsync("a.txt", "v1", new DocBuilder().Paragraph("ignored because the hash is equal").Build());
        Assert.Equal(IngestOutcome.Unchanged, same.Outcome);
        Assert.Equal(calls, embedder.Calls);

        var changed = await kb.AddDocumentAsync("a.txt", "v2",
            new DocBuilder().Paragraph("The new launch code is Heron.").Paragraph("A second paragraph.").Build());
        Assert.Equal(IngestOutcome.Replaced, changed.Outcome);
        Assert.Equal(1, changed.Chunks);
        Assert.Equal(1, changed.Embedded);
        Assert.Empty(await kb.SearchAsync("falcon", 5, mode: SearchMode.FullText));
        Assert.Single(await kb.SearchAsync("heron", 5, mode: SearchMode.FullText));
        Assert.Equal("v2", Assert.Single(kb.Documents()).ContentHash);
        Assert.Equal((1L, 1L, 1L), (kb.Store.Count("chunks"), kb.Store.Count("vectors"), kb.Store.Count("documents")));
        var vectorHit = Assert.Single(await kb.SearchAsync("new launch code", 5, mode: SearchMode.Vector));
        Assert.Contains("Heron", vectorHit.Text);
    }

    [Fact]
    public async Task RemovingADocumentRemovesItsChunksTermsAndVectors()
    {
        using var dir = new TempDir();
        using var kb = KnowledgeBase.Create(dir.File("kb.sqlite"), new KnowledgeBaseOptions { Embeddings = new HashingEmbeddingGenerator() });
        await kb.AddDocumentAsync("keep.txt", "k", new DocBuilder().Paragraph("apples and pears").Build());
        await kb.AddDocumentAsync("drop.txt", "d", new DocBuilder().Paragraph("apples and plums").Build());
        Assert.Equal(2, (await kb.SearchAsync("apples", 5, mode: SearchMode.Vector)).Count);

        Assert.True(kb.RemoveDocument("drop.txt"));
        Assert.False(kb.RemoveDocument("drop.txt"));
        Assert.Equal(["keep.txt"], kb.Documents().Select(d => d.Source));
        Assert.Equal(["keep.txt"], (await kb.SearchAsync("apples plums", 5, mode: SearchMode.FullText)).Select(h => h.Source));
        Assert.Equal(["keep.txt"], (await kb.SearchAsync("apples plums", 5, mode: SearchMode.Vector)).Select(h => h.Source));
        Assert.Equal((1L, 1L), (kb.Store.Count("chunks"), kb.Store.Count("vectors")));
    }

    [Fact]
    public async Task CancelledIngestionWritesNothing()
    {
        using var dir = new TempDir();
        using var kb = KnowledgeBase.Create(dir.File("kb.sqlite"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            kb.AddDocumentAsync("a.txt", "h", new DocBuilder().Paragraph("text").Build(), cancellationToken: cts.Token));
        Assert.Empty(kb.Documents());
    }

    [Fact]
    public async Task SettingsAreStoredAndModelsCannotBeMixed()
    {
        using var dir = new TempDir();
        var path = dir.File("kb.sqlite");
        var options = new KnowledgeBaseOptions
        {
            Chunking = new() { ChunkTokens = 300, OverlapTokens = 20 },
            Embeddings = new HashingEmbeddingGenerator(64, "model-a"),
        };
        using (var kb = KnowledgeBase.Create(path, options))
            await kb.AddDocumentAsync("a.txt", "h", new DocBuilder().Paragraph("text").Build());
        Assert.Throws<IOException>(() => KnowledgeBase.Create(path));
        Assert.Throws<InvalidOperationException>(() => KnowledgeBase.Open(path, new HashingEmbeddingGenerator(64, "model-b")));
        using var reopened = KnowledgeBase.Open(path);
        Assert.Equal((300, 20, "model-a"), (reopened.Chunking.ChunkTokens, reopened.Chunking.OverlapTokens, reopened.EmbeddingModel!));
        Assert.Equal(SearchMode.FullText, reopened.DefaultSearchMode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reopened.SearchAsync("text", 3, mode: SearchMode.Vector));
        Assert.Single(await reopened.SearchAsync("text", 3));
    }

    [Fact]
    public async Task QueriesWithFullTextSyntaxAreTakenLiterally()
    {
        using var dir = new TempDir();
        using var kb = KnowledgeBase.Create(dir.File("kb.sqlite"));
        await kb.AddDocumentAsync("a.txt", "h", new DocBuilder().Paragraph("NOT a problem: body* OR \"quoted\" text").Build());
        Assert.Single(await kb.SearchAsync("NOT \"quoted\" body* OR AND ( col:x", 5));
        Assert.Empty(await kb.SearchAsync("，。！", 5));
    }
}

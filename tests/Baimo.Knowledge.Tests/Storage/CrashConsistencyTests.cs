namespace Baimo.Knowledge.Tests.Storage;

/// <summary>
/// A kill -9 leaves the files as they are at that instant. The tests take that instant from inside the replace
/// transaction — by copying the database and its write-ahead log, or by abandoning the transaction — and check that
/// the base then holds exactly the previous version and that running the ingestion again completes it.
/// </summary>
public class CrashConsistencyTests
{
    // One ~82-token paragraph per chunk, so chunk counts equal paragraph counts.
    private static KnowledgeBaseOptions Options => new() { Chunking = new() { ChunkTokens = 160, OverlapTokens = 40 } };

    private static Documents.ExtractedDocument Doc(string word, int paragraphs)
    {
        var b = new DocBuilder();
        for (int i = 0; i < paragraphs; i++) b.Paragraph($"{word} paragraph {i} " + string.Concat(Enumerable.Repeat("filler text to make pages dirty ", 10)));
        return b.Build();
    }

    [Fact]
    public async Task FilesCopiedMidTransactionOpenAsThePreviousVersion()
    {
        using var dir = new TempDir();
        var path = dir.File("kb.sqlite");
        var crashed = dir.File("crashed.sqlite");
        using (var kb = KnowledgeBase.Create(path, Options))
        {
            await kb.AddDocumentAsync("a.txt", "v1", Doc("alpha", 5));
            await kb.AddDocumentAsync("b.txt", "b1", Doc("beta", 3));
            // A tiny page cache makes SQLite spill uncommitted pages into the WAL before the commit, as a large
            // document would, so the copy really contains half-written data that recovery must ignore.
            kb.Store.Execute("PRAGMA cache_size=2");
            kb.Store.AfterChunkWritten = i =>
            {
                if (i != 40) return;
                File.Copy(path, crashed);
                if (File.Exists(path + "-wal")) File.Copy(path + "-wal", crashed + "-wal");
            };
            await kb.AddDocumentAsync("a.txt", "v2", Doc("gamma", 80));
            Assert.True(File.Exists(crashed));
            Assert.True(new FileInfo(crashed + "-wal").Length > 0);
        }

        using (var kb = KnowledgeBase.Open(crashed))
        {
            var docs = kb.Documents();
            Assert.Equal([("a.txt", "v1", 5), ("b.txt", "b1", 3)], docs.Select(d => (d.Source, d.ContentHash, d.Chunks)));
            Assert.Equal(8L, kb.Store.Count("chunks"));
            Assert.Empty(await kb.SearchAsync("gamma", 5));
            Assert.Equal(5, (await kb.SearchAsync("alpha", 10)).Count);

            // Running the ingestion again sees the old hash and completes the replacement.
            var rerun = await kb.AddDocumentAsync("a.txt", "v2", Doc("gamma", 80));
            Assert.Equal(IngestOutcome.Replaced, rerun.Outcome);
            Assert.Empty(await kb.SearchAsync("alpha", 5));
            Assert.Equal(83L, kb.Store.Count("chunks"));
        }
    }

    [Fact]
    public async Task AFailureMidDocumentRollsBackTheWholeDocument()
    {
        using var dir = new TempDir();
        var path = dir.File("kb.sqlite");
        using var kb = KnowledgeBase.Create(path, Options);
        await kb.AddDocumentAsync("a.txt", "v1", Doc("alpha", 4));
        kb.Store.AfterChunkWritten = i => { if (i == 2) throw new IOException("disk gone"); };
        await Assert.ThrowsAsync<IOException>(() => kb.AddDocumentAsync("a.txt", "v2", Doc("gamma", 6)));
        kb.Store.AfterChunkWritten = null;

        Assert.Equal("v1", Assert.Single(kb.Documents()).ContentHash);
        Assert.Equal(4L, kb.Store.Count("chunks"));
        Assert.Empty(await kb.SearchAsync("gamma", 5));
        Assert.Equal(IngestOutcome.Replaced, (await kb.AddDocumentAsync("a.txt", "v2", Doc("gamma", 6))).Outcome);
        Assert.Equal(6, (await kb.SearchAsync("gamma", 10)).Count);
    }
}

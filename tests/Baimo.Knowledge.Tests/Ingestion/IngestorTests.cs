using Baimo.Knowledge.Ingestion;
using Baimo.Knowledge.Readers;

namespace Baimo.Knowledge.Tests.Ingestion;

public sealed class IngestorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-ingest-").FullName;
    private readonly FakeTarget _target = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, "handbook", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<IngestReport> AddFolder() =>
        new Ingestor(_target, new DocumentReaders([new LineReader()])).AddAsync([Path.Combine(_dir, "handbook")]);

    [Fact]
    public async Task AFolderIsWalkedRecursivelyWithRelativeNames()
    {
        Write("a.txt", "one\ntwo");
        Write("hr/leave.txt", "three");
        Write("hr/.hidden/x.txt", "hidden");
        Write("~$lock.txt", "lock");
        Write("image.png", "not a document");
        var report = await AddFolder();
        Assert.Equal(["handbook/a.txt", "handbook/hr/leave.txt"], _target.Docs.Keys.Order().ToArray());
        Assert.Equal(2, report.Added);
        Assert.Equal(3, report.Chunks);
        Assert.Empty(report.Failures);
    }

    [Fact]
    public async Task OnlyChangedFilesAreReadAgainAndDeletedOnesAreDropped()
    {
        Write("a.txt", "one");
        Write("b.txt", "two");
        var gone = Write("c.txt", "three");
        await AddFolder();
        _target.Writes.Clear();

        Write("b.txt", "two, revised");
        File.Delete(gone);
        var report = await AddFolder();
        Assert.Equal(["handbook/b.txt"], _target.Writes);
        Assert.Equal((0, 1, 1, 1), (report.Added, report.Updated, report.Unchanged, report.Removed));
        Assert.False(_target.Docs.ContainsKey("handbook/c.txt"));
        Assert.Equal("two, revised", _target.Docs["handbook/b.txt"].Doc.Text);
    }

    [Fact]
    public async Task AnUnreadableFileIsReportedAndTheRunGoesOn()
    {
        Write("a.txt", "fine");
        Write("bad.txt", "BROKEN");
        Write("c.txt", "also fine");
        var progress = new List<IngestProgress>();
        var report = await new Ingestor(_target, new DocumentReaders([new LineReader()])) { ReadParallelism = 1 }
            .AddAsync([Path.Combine(_dir, "handbook")], new SyncProgress(progress));
        Assert.Equal(2, report.Added);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(("handbook/bad.txt", "damaged on purpose"), failure);
        Assert.Equal(3, progress.Count);
        Assert.Equal(3, progress[^1].FilesDone);
        Assert.Equal(3, progress[^1].FilesTotal);
    }

    [Fact]
    public async Task MissingPathsAndUnsupportedFilesAreSkippedWithAReason()
    {
        var png = Write("x.png", "png");
        var report = await new Ingestor(_target, new DocumentReaders([new LineReader()])).AddAsync([Path.Combine(_dir, "nope"), png]);
        Assert.Equal(2, report.Skipped.Count);
        Assert.Contains(report.Skipped, s => s.Reason == "no such file or folder");
        Assert.Contains(report.Skipped, s => s.Reason.Contains("unsupported file type '.png'"));
        Assert.Empty(_target.Docs);
    }

    [Fact]
    public async Task AFileAddedByItselfKeepsItsNameAndIsNotDroppedByAFolderRun()
    {
        var single = Path.Combine(_dir, "memo.txt");
        File.WriteAllText(single, "memo");
        await new Ingestor(_target, new DocumentReaders([new LineReader()])).AddAsync([single]);
        Write("a.txt", "one");
        var report = await AddFolder();
        Assert.Equal(0, report.Removed);
        Assert.True(_target.Docs.ContainsKey("memo.txt"));
    }

    [Fact]
    public async Task AFailingWriteEndsTheRunWithoutLeavingTheReadersBlocked()
    {
        for (int i = 0; i < 40; i++) Write($"f{i:D2}.txt", $"text {i}");
        var failing = new FailingTarget();
        var run = new Ingestor(failing, new DocumentReaders([new LineReader()])) { ReadParallelism = 2 }.AddAsync([Path.Combine(_dir, "handbook")]);
        // A hang guard, not a speed check: without the fix the readers wait forever on the full channel.
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(run, finished);
        var e = await Assert.ThrowsAsync<IOException>(() => run);
        Assert.Equal("disk full", e.Message);
    }

    private sealed class FailingTarget : IIngestTarget
    {
        public IReadOnlyDictionary<string, string> DocumentHashes() => new Dictionary<string, string>();
        public Task<int> AddDocumentAsync(SourceFile file, string contentHash, Baimo.Knowledge.Documents.ExtractedDocument document, string reader, CancellationToken cancellationToken) =>
            throw new IOException("disk full");
        public Task RemoveDocumentAsync(string source, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; a test wants every report, in order.</summary>
    private sealed class SyncProgress(List<IngestProgress> sink) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => sink.Add(value);
    }
}

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

    /// <summary>Progress&lt;T&gt; posts to the thread pool; a test wants every report, in order.</summary>
    private sealed class SyncProgress(List<IngestProgress> sink) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => sink.Add(value);
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;

namespace Baimo.Knowledge.Ingestion;

/// <summary>
/// Adds files and folders to a knowledge base incrementally: a file whose content hash is unchanged is skipped
/// without being read, a changed one is re-indexed, and documents that disappeared from an added folder are dropped.
/// Files are read in parallel (extraction is CPU-bound) and written one at a time (the store is single-writer).
/// A file that cannot be read is reported with its reason and the run goes on.
/// </summary>
public sealed class Ingestor(IIngestTarget target, DocumentReaders readers)
{
    /// <summary>Files above this size are refused with a reason rather than read into memory.</summary>
    public long MaxFileBytes { get; init; } = 512L << 20;

    public int ReadParallelism { get; init; } = Environment.ProcessorCount;

    private IDocumentReader? ReaderFor(string path) => readers.For(path);

    public async Task<IngestReport> AddAsync(IEnumerable<string> paths, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var report = new IngestReport();
        var clock = Stopwatch.StartNew();
        var scopes = new List<string>();
        var files = SourceWalker.Expand(paths, p => ReaderFor(p) != null, report, scopes);
        var known = target.DocumentHashes();
        var results = Channel.CreateBounded<Extracted>(new BoundedChannelOptions(Math.Max(2, ReadParallelism * 2)) { SingleReader = true });

        // The readers stop with the writer: if a write fails, they must not stay blocked on a full channel.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = stop.Token },
                    async (file, ct) => await results.Writer.WriteAsync(Extract(file, known), ct));
                results.Writer.Complete();
            }
            catch (Exception e) { results.Writer.Complete(e); }
        }, CancellationToken.None);

        int done = 0;
        try
        {
            await foreach (var item in results.Reader.ReadAllAsync(cancellationToken))
            {
                done++;
                if (item.Failure != null) report.Failures.Add((item.File.Source, item.Failure));
                else if (item.Document == null) report.Unchanged++;
                else
                {
                    foreach (var w in item.Document.Warnings) report.Warnings.Add((item.File.Source, w));
                    int chunks = await target.AddDocumentAsync(item.File, item.Hash!, item.Document, ReaderName(item.File.Path), cancellationToken);
                    if (known.ContainsKey(item.File.Source)) report.Updated++; else report.Added++;
                    report.Pages += item.Document.Pages;
                    report.Chunks += chunks;
                }
                progress?.Report(new IngestProgress(files.Count, done, report.Pages, report.Chunks, clock.Elapsed, item.File.Source));
            }
        }
        catch
        {
            await stop.CancelAsync();
            try { await producer; } catch (OperationCanceledException) { }
            throw;
        }
        await producer;

        // A document that was under an added folder and is no longer there was deleted by its owner.
        var present = files.Select(f => f.Source).ToHashSet(StringComparer.Ordinal);
        foreach (var source in known.Keys.Where(s => !present.Contains(s) && scopes.Any(scope => s.StartsWith(scope, StringComparison.Ordinal))))
        {
            await target.RemoveDocumentAsync(source, cancellationToken);
            report.Removed++;
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>The format's name as stored with a document: its extension without the dot.</summary>
    private static string ReaderName(string path) => Path.GetExtension(path).TrimStart('.').ToLowerInvariant();

    private Extracted Extract(SourceFile file, IReadOnlyDictionary<string, string> known)
    {
        try
        {
            var info = new FileInfo(file.Path);
            if (info.Length > MaxFileBytes) return new(file, null, null, $"file is {info.Length >> 20} MiB; the limit is {MaxFileBytes >> 20} MiB");
            var bytes = File.ReadAllBytes(file.Path);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (known.TryGetValue(file.Source, out var old) && old == hash) return new(file, hash, null, null);
            var reader = ReaderFor(file.Path)!;
            using var stream = new MemoryStream(bytes, writable: false);
            return new(file, hash, reader.Read(stream, Path.GetFileName(file.Path)), null);
        }
        catch (DocumentReadException e) { return new(file, null, null, e.Reason); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new(file, null, null, e.Message); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A reader bug must not end the whole run; the reason still names what went wrong.
            return new(file, null, null, $"could not be read ({e.GetType().Name}: {e.Message})");
        }
    }

    private sealed record Extracted(SourceFile File, string? Hash, ExtractedDocument? Document, string? Failure);
}

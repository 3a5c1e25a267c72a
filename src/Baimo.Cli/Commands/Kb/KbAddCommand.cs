using System.CommandLine;
using Baimo.Knowledge.Ingestion;
using Baimo.Knowledge.Readers;

namespace Baimo.Cli.Commands.Kb;

/// <summary>
/// <c>baimo kb add NAME PATH...</c>: files and folders (recursively), incrementally. Files that cannot be read are
/// listed with their reason after the run, which goes on without them; the exit code is then 1, as it is when a path
/// given is missing or names a file of an unsupported type.
/// </summary>
internal static class KbAddCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Knowledge base" };
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to add (folders recursively)", Arity = ArgumentArity.OneOrMore };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress line" };
        var cmd = new Command("add", $"Add or update documents ({string.Join(", ", DocumentReaders.Default.Extensions.Order())}); unchanged files are skipped") { name, paths, quiet };
        cmd.SetAction(async (pr, ct) =>
        {
            var o = pr.InvocationConfiguration.Output;
            var err = pr.InvocationConfiguration.Error;
            using var opened = KbBases.Open(pr.GetValue(name)!);
            var ingestor = new Ingestor(new KnowledgeBaseTarget(opened.Base), DocumentReaders.Default);
            using var line = new ProgressLine(err, enabled: !pr.GetValue(quiet));
            var report = await ingestor.AddAsync(pr.GetValue(paths)!, line, ct);
            line.Finish();

            foreach (var (path, reason) in report.Skipped) err.WriteLine($"skipped {path}: {reason}");
            foreach (var (source, warning) in report.Warnings) err.WriteLine($"warning: {source}: {warning}");
            foreach (var (source, reason) in report.Failures) err.WriteLine($"failed: {source}: {reason}");
            double s = Math.Max(report.Elapsed.TotalSeconds, 1e-3);
            int files = report.Added + report.Updated;
            o.WriteLine($"{report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged, {report.Removed} removed, {report.Failures.Count} failed");
            o.WriteLine($"{files} files, {report.Pages} pages, {report.Chunks} chunks in {s:F1} s ({files / s:F1} files/s, {report.Pages / s:F1} pages/s, {report.Chunks / s:F1} chunks/s)");
            // A path that named nothing addable (a typo, an unsupported file) is as much a miss as an unreadable file:
            // scripts must not take a run that added none of what was asked for as a success.
            return report.Failures.Count > 0 || report.Skipped.Count > 0 ? Cli.RuntimeError : Cli.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// One status line rewritten in place on a terminal; on a pipe or file a line every few seconds instead, so
    /// logs stay readable.
    /// </summary>
    private sealed class ProgressLine(TextWriter err, bool enabled) : IProgress<IngestProgress>, IDisposable
    {
        private readonly bool _terminal = !Console.IsErrorRedirected;
        private readonly object _lock = new();
        private TimeSpan? _last;
        private int _width;

        public void Report(IngestProgress p)
        {
            if (!enabled) return;
            lock (_lock)
            {
                bool last = p.FilesDone == p.FilesTotal;
                var every = _terminal ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5);
                if (!last && _last is { } before && p.Elapsed - before < every) return;
                _last = p.Elapsed;
                var text = $"files {p.FilesDone}/{p.FilesTotal}  pages {p.Pages}  chunks {p.Chunks}  " +
                           $"{p.FilesPerSecond:F1} files/s  {p.PagesPerSecond:F1} pages/s  {p.ChunksPerSecond:F1} chunks/s";
                if (!_terminal) { err.WriteLine(text); return; }
                err.Write("\r" + text.PadRight(_width));
                _width = text.Length;
            }
        }

        public void Finish()
        {
            if (enabled && _terminal && _width > 0) err.WriteLine();
            _width = 0;
        }

        public void Dispose() => Finish();
    }
}

using System.Diagnostics;
using Baimo.Hosting.Pull;

namespace Baimo.Cli.Commands;

/// <summary>
/// Shows a pull's progress: one line redrawn in place on a terminal; on a pipe or log, a plain line every few
/// seconds so the log stays readable.
/// </summary>
internal sealed class PullProgressPrinter(TextWriter output, bool interactive) : IProgress<PullProgress>
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _sincePlain = Stopwatch.StartNew();
    private readonly object _gate = new();
    private int _width;
    private bool _firstPlain = true;

    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public void Report(PullProgress p)
    {
        lock (_gate)
        {
            if (p.Message != null) { Line(p.Message); return; }
            switch (p.Phase)
            {
                case PullPhase.Resolving: Line($"pulling manifest of {p.File}"); break;
                case PullPhase.Verifying: Line($"verifying sha256 of {p.File}"); break;
                case PullPhase.Downloading: Downloading(p); break;
            }
        }
    }

    /// <summary>Ends a line left open by the in-place display.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_width > 0) output.WriteLine();
            _width = 0;
        }
    }

    private void Downloading(PullProgress p)
    {
        var text = Format(p);
        if (interactive)
        {
            output.Write("\r" + text.PadRight(_width));
            _width = text.Length;
            output.Flush();
        }
        else if (_firstPlain || _sincePlain.Elapsed >= PlainEvery || (p.Total > 0 && p.Done >= p.Total))
        {
            _firstPlain = false;
            _sincePlain.Restart();
            output.WriteLine(text);
        }
    }

    private void Line(string text)
    {
        if (_width > 0) { output.WriteLine(); _width = 0; }
        output.WriteLine(text);
    }

    public static string Format(PullProgress p)
    {
        var size = p.Total > 0 ? $"{Bytes(p.Done)}/{Bytes(p.Total)}" : Bytes(p.Done);
        var percent = p.Total > 0 ? $"{100.0 * p.Done / p.Total,3:0}% " : "";
        var speed = p.BytesPerSecond > 0 ? $"  {Bytes((long)p.BytesPerSecond)}/s" : "";
        var eta = p.EtaSeconds is { } s ? $"  ETA {Duration(s)}" : "";
        return $"downloading {p.File}  {percent}{size}{speed}{eta}";
    }

    private static string Bytes(long n) => InspectCommand.FormatBytes(n);

    private static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Min(seconds, 359_999));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
    }
}

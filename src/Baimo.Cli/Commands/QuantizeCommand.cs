using System.CommandLine;
using System.Globalization;
using Baimo.Formats.Gguf;
using Baimo.Models.Quantization;
using Baimo.Tensors;

namespace Baimo.Cli.Commands;

/// <summary>
/// <c>baimo quantize IN.gguf OUT.gguf TYPE [--pure] [-t N]</c>: llama-quantize's conversion (same
/// per-tensor types and bytes), streamed tensor by tensor, written atomically.
/// </summary>
public static class QuantizeCommand
{
    public static Command Build()
    {
        var input = new Argument<string>("IN") { Description = "GGUF model to read (F32/F16/BF16, or quantized: see below)" };
        var output = new Argument<string>("OUT") { Description = "GGUF file to write (replaced atomically; must differ from IN)" };
        var type = new Argument<string>("TYPE") { Description = "Target type: " + string.Join(", ", QuantizationTargets.All.Select(t => t.Name)) };
        var pure = new Option<bool>("--pure") { Description = "Every 2-D weight in TYPE's base type, no per-tensor mixture (norms stay F32)" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("quantize", Description()) { input, output, type, pure, threads };
        cmd.SetAction((pr, ct) =>
        {
            var name = pr.GetValue(type)!;
            if (!QuantizationTargets.TryParse(name, out var target))
                throw new UsageException($"unknown TYPE '{name}'; valid types: {string.Join(", ", QuantizationTargets.All.Select(t => t.Name))}");
            int n = pr.GetValue(threads);
            if (n < 0) throw new UsageException($"--threads must be 0 (one per core) or more (got {n})");
            var inPath = ModelPaths.Resolve(pr.GetValue(input)!);
            var outPath = Path.GetFullPath(pr.GetValue(output)!);
            if (Directory.Exists(outPath)) throw new UsageException($"'{pr.GetValue(output)}' is a directory; give the path of the .gguf file to write");

            var stdout = pr.InvocationConfiguration.Output;
            var stderr = pr.InvocationConfiguration.Error;
            var report = new ProgressReport(stderr, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
            QuantizeResult r;
            try
            {
                r = ModelQuantizer.Quantize(inPath, outPath, new QuantizeOptions(target, pr.GetValue(pure), n), report.OnProgress, ct);
            }
            catch (ArgumentException e) when (e.ParamName == "outputPath") { throw new UsageException(e.Message); }
            finally { report.Finish(); }

            if (r.Plan.FallbackCount > 0)
                stderr.WriteLine($"warning: {r.Plan.FallbackCount} of {r.Plan.QuantizedCount} tensors used a fallback type because their row length is not a multiple of the chosen type's block size");
            if (r.RequantizedFrom.Count > 0)
                stderr.WriteLine($"warning: requantized tensors that were already {string.Join("/", r.RequantizedFrom.Select(t => WeightLayout.Of(t).Name))}; quality is lower than quantizing the original F32/F16 model");
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Format(inv, "{0} ({1}) -> {2} ({3}) as {4}{5} in {6:F1} s",
                Path.GetFileName(inPath), Mib(r.InputFileBytes), Path.GetFileName(outPath), Mib(r.OutputFileBytes),
                target.Name, pr.GetValue(pure) ? " --pure" : "", r.Elapsed.TotalSeconds));
            return Task.FromResult(Cli.Ok);
        });
        return cmd;
    }

    private static string Description() =>
        "Quantize a model to TYPE with llama-quantize's per-tensor recipe (Q4_K_M: attn_v/ffn_down of some layers in Q6_K, "
        + "output in Q6_K…); tensors whose rows do not fit the type's block fall back as llama-quantize does. "
        + "Writes general.file_type and keeps all other metadata. An input that is already quantized is decoded and "
        + "re-encoded, which loses quality: quantize from the F32/F16/BF16 model when you have it.";

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F2", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>
    /// Shows progress on stderr: a redrawn bar (tensor i/N, name, MB/s, ETA) on a terminal, one plain line
    /// per tensor otherwise (logs and pipes get no control characters).
    /// </summary>
    internal sealed class ProgressReport(TextWriter stderr, bool terminal)
    {
        private TimeSpan? _lastDraw;
        private int _width;

        public void OnProgress(QuantizeProgress p)
        {
            if (!terminal)
            {
                if (p.TensorDone) stderr.WriteLine(PlainLine(p));
                return;
            }
            // Redraw at most ten times a second; always on a tensor's last report so the count is exact.
            if (!p.TensorDone && _lastDraw is { } last && p.Elapsed - last < TimeSpan.FromMilliseconds(100)) return;
            _lastDraw = p.Elapsed;
            var line = BarLine(p);
            stderr.Write("\r" + line.PadRight(_width));
            _width = line.Length;
            stderr.Flush();
        }

        public void Finish()
        {
            if (terminal && _width > 0) { stderr.Write("\r" + new string(' ', _width) + "\r"); stderr.Flush(); }
        }

        private static string PlainLine(QuantizeProgress p)
        {
            var t = p.Tensor;
            var inv = CultureInfo.InvariantCulture;
            var from = t.Source.TypeName;
            var to = WeightLayout.Of(t.TargetType).Name;
            var line = string.Format(inv, "[{0," + Digits(p.Count) + "}/{1}] {2,-32} {3,-14} {4,-6} -> {5,-6} {6,10:F3} MiB -> {7,9:F3} MiB",
                p.Index + 1, p.Count, t.Source.Name, t.Source.ShapeText, from, to,
                t.Source.ByteSize / 1048576.0, WeightLayout.Of(t.TargetType).ByteCount(t.Source.ElementCount) / 1048576.0);
            return t.FallbackNote != null ? line + "  (fallback: " + t.FallbackNote + ")" : line;
        }

        private static string BarLine(QuantizeProgress p)
        {
            const int BarWidth = 24;
            double fraction = p.InputBytesTotal == 0 ? 1 : (double)p.InputBytesDone / p.InputBytesTotal;
            int filled = (int)Math.Round(fraction * BarWidth);
            double seconds = p.Elapsed.TotalSeconds;
            double mbps = seconds > 0 ? p.InputBytesDone / 1e6 / seconds : 0;
            string eta = fraction > 0 && seconds > 0.2 ? FormatTime(seconds * (1 - fraction) / fraction) : "--:--";
            var name = p.Tensor.Source.Name;
            if (name.Length > 28) name = "…" + name[^27..];
            return string.Format(CultureInfo.InvariantCulture, "[{0}{1}] {2,3:F0}%  tensor {3}/{4} {5,-28}  {6,7:F1} MB/s  ETA {7}",
                new string('#', filled), new string('.', BarWidth - filled), fraction * 100, p.Index + 1, p.Count, name, mbps, eta);
        }

        private static int Digits(int n) => n.ToString(CultureInfo.InvariantCulture).Length;

        private static string FormatTime(double s) =>
            s >= 3600 ? $"{(int)(s / 3600)}:{(int)(s % 3600 / 60):D2}:{(int)(s % 60):D2}" : $"{(int)(s / 60)}:{(int)(s % 60):D2}";
    }
}

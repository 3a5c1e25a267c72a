using System.CommandLine;
using System.Diagnostics;
using Baimo.Cli.Bench;
using Baimo.Kernels.Cpu;
using Baimo.Models;
using Baimo.Models.Synthetic;
using Baimo.Tensors;

namespace Baimo.Cli.Commands;

/// <summary>
/// <c>baimo bench -m MODEL | --synthetic SHAPE --type T [-p 64] [-n 32] [-t 1,2] [-r 3] [--json]</c>:
/// prompt-processing and generation speed as llama-bench reports them.
/// </summary>
public static class BenchCommand
{
    public static Command Build()
    {
        var model = new Option<string?>("--model", "-m") { Description = "GGUF model file to measure" };
        var synthetic = new Option<string?>("--synthetic") { Description = $"Measure a random-weight model of this shape, created and cached on first use ({string.Join(", ", SyntheticShape.All.Select(s => s.Name))})" };
        var type = new Option<string>("--type") { Description = "Weight type (Q4_0, Q8_0, F16 …: every matrix in it) or mixture (Q4_K_M, Q5_K_M … as llama-quantize builds it) of the synthetic model (default Q4_0)", DefaultValueFactory = _ => "Q4_0" };
        var prompt = new Option<string>("--n-prompt", "-p") { Description = "Prompt lengths to test, comma-separated; 0 skips (default 64)", DefaultValueFactory = _ => "64" };
        var gen = new Option<string>("--n-gen", "-n") { Description = "Generation lengths to test, comma-separated; 0 skips (default 32)", DefaultValueFactory = _ => "32" };
        var threads = new Option<string?>("--threads", "-t") { Description = "Thread counts to test, comma-separated (default: one per core)" };
        var reps = new Option<int>("--repetitions", "-r") { Description = "Timed repetitions per test (default 3)", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print a JSON list of results (llama-bench's field names)" };
        var cmd = new Command("bench", "Measure prompt and generation speed (tokens/s), like llama-bench") { model, synthetic, type, prompt, gen, threads, reps, json };
        cmd.SetAction(pr =>
        {
            var err = pr.InvocationConfiguration.Error;
            var o = pr.InvocationConfiguration.Output;
            var prompts = ParseList(pr.GetValue(prompt)!, "--n-prompt", allowZero: true);
            var gens = ParseList(pr.GetValue(gen)!, "--n-gen", allowZero: true);
            var threadCounts = pr.GetValue(threads) is { } t ? ParseList(t, "--threads", allowZero: false) : [CpuTopology.DefaultThreads];
            int r = pr.GetValue(reps);
            if (r < 1) throw new UsageException("--repetitions must be at least 1");
            string path;
            if (pr.GetValue(synthetic) is { } shapeName)
            {
                if (pr.GetValue(model) is not null) throw new UsageException("give either --model or --synthetic, not both");
                SyntheticShape shape;
                try { shape = SyntheticShape.Get(shapeName); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
                var typeName = pr.GetValue(type)!;
                if (WeightLayout.TryParse(typeName, out var wt) && (!WeightCodecs.TryGet(wt, out var codec) || !codec.CanQuantize || wt is WeightType.Q8_1 or WeightType.Q8_K))
                    throw new UsageException($"--type '{typeName}' is not a weight type Baimo can write (try Q4_0, Q8_0, Q4_K, F16, or a mixture such as Q4_K_M)");
                try { path = SyntheticModelWriter.GetOrCreate(shape, typeName, log: m => err.WriteLine($"bench: {m}")); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
            }
            else if (pr.GetValue(model) is { } m) path = ModelPaths.Resolve(m);
            else throw new UsageException("give --model FILE or --synthetic SHAPE");


            var load = Stopwatch.StartNew();
            using var decoder = ModelRegistry.LoadDecoder(path);
            err.WriteLine($"bench: loaded {Path.GetFileName(path)} in {load.Elapsed.TotalMilliseconds:F0} ms (weights mapped, not read)");
            err.WriteLine($"bench: kernels: {Baimo.Kernels.Cpu.CpuFeatures.Describe()}");
            // The one-time costs the first request would pay, reported apart: faulting the weights in, then repacking.
            var read = Stopwatch.StartNew();
            long readBytes = decoder.ReadWeights();
            err.WriteLine($"bench: first read of the weights: {readBytes / (1 << 20)} MiB in {read.Elapsed.TotalSeconds:F2} s (page faults: from the page cache, or the disk when cold)");
            int packThreads = threadCounts.Max();
            var pack = Stopwatch.StartNew();
            long packed = decoder.PackWeights(packThreads);
            err.WriteLine(packed > 0
                ? $"bench: packed {packed / (1 << 20)} MiB of weights into the kernels' layouts in {pack.Elapsed.TotalSeconds:F2} s ({packThreads} threads, fresh memory pages included)"
                : "bench: no weights to repack on this CPU (the kernels read the file layout)");

            bool asJson = pr.GetValue(json);
            var all = new List<BenchResult>();
            if (!asJson) BenchOutput.WriteHeader(o);
            foreach (var th in threadCounts)
            {
                foreach (var p in prompts.Where(p => p > 0))
                    foreach (var res in BenchRunner.Run(decoder, p, 0, th, r)) { all.Add(res); if (!asJson) BenchOutput.WriteRow(o, res); }
                foreach (var n in gens.Where(n => n > 0))
                    foreach (var res in BenchRunner.Run(decoder, 0, n, th, r)) { all.Add(res); if (!asJson) BenchOutput.WriteRow(o, res); }
            }
            if (asJson) BenchOutput.WriteJson(o, all);
            using var self = Process.GetCurrentProcess();
            err.WriteLine($"bench: peak resident memory {self.PeakWorkingSet64 / (1 << 20)} MiB (model file {decoder.File.FileSize / (1 << 20)} MiB)");
            return Cli.Ok;
        });
        return cmd;
    }

    private static int[] ParseList(string text, string name, bool allowZero)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new UsageException($"{name} lists no values");
        return parts.Select(p => int.TryParse(p, out var v) && (v > 0 || (allowZero && v == 0)) && v <= 1 << 16
            ? v : throw new UsageException($"{name}: '{p}' is not a valid count")).ToArray();
    }
}

using System.Diagnostics;
using Baimo.Models;

namespace Baimo.Cli.Bench;

/// <summary>
/// Measures like llama-bench: a prompt test evaluates p random tokens as one batch into an empty cache;
/// a generation test evaluates n tokens one at a time into an empty cache. Each test runs once untimed
/// (warm-up: page faults, JIT, caches), then r timed repetitions.
/// </summary>
public static class BenchRunner
{
    public static IEnumerable<BenchResult> Run(DecoderModel model, int prompt, int generate, int threads, int repetitions)
    {
        var rng = new Random(1234);
        int vocab = model.Config.VocabSize;
        int ctx = Math.Max(prompt, generate) + 1;
        using var session = model.CreateSession(contextLength: ctx, threads: threads, maxBatch: Math.Max(prompt, 1));
        var logits = new float[vocab];
        string type = DominantType(model);
        var info = (File: Path.GetFileName(model.Path), Size: model.File.FileSize, Params: model.File.ParameterCount,
            ModelType: $"{model.Config.Architecture} {SizeClass(model.File.ParameterCount)} {type}");

        if (prompt > 0)
        {
            var tokens = Enumerable.Range(0, prompt).Select(_ => rng.Next(vocab)).ToArray();
            var samples = Measure(repetitions, () =>
            {
                session.Reset();
                session.Evaluate(tokens, logits);
            });
            yield return Result(info, type, threads, prompt, 0, prompt, samples);
        }
        if (generate > 0)
        {
            var tokens = Enumerable.Range(0, generate).Select(_ => rng.Next(vocab)).ToArray();
            var samples = Measure(repetitions, () =>
            {
                session.Reset();
                for (int i = 0; i < tokens.Length; i++) session.Evaluate(tokens.AsSpan(i, 1), logits);
            });
            yield return Result(info, type, threads, 0, generate, 1, samples);
        }
    }

    private static double[] Measure(int repetitions, Action run)
    {
        run(); // warm-up
        var samples = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            samples[r] = Stopwatch.GetElapsedTime(t0).TotalNanoseconds;
        }
        return samples;
    }

    private static BenchResult Result((string File, long Size, long Params, string ModelType) info, string type, int threads,
        int prompt, int gen, int batch, double[] samples) => new()
    {
        ModelFile = info.File,
        ModelType = info.ModelType,
        WeightType = type,
        ModelSize = info.Size,
        ParameterCount = info.Params,
        Threads = threads,
        Prompt = prompt,
        Generated = gen,
        Batch = batch,
        SamplesNs = samples,
    };

    /// <summary>The type holding most of the parameters (what llama.cpp's file-type name reflects).</summary>
    public static string DominantType(DecoderModel m) =>
        m.File.Tensors.GroupBy(t => t.TypeName).OrderByDescending(g => g.Sum(t => t.ElementCount)).First().Key;

    private static string SizeClass(long parameters) => parameters switch
    {
        >= 1_000_000_000 => $"{Math.Round(parameters / 1e9):0}B",
        >= 1_000_000 => $"{Math.Round(parameters / 1e6):0}M",
        _ => $"{Math.Round(parameters / 1e3):0}K",
    };
}

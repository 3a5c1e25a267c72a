namespace Baimo.Cli.Bench;

/// <summary>One benchmark row: a prompt-processing test (n_gen 0) or a generation test (n_prompt 0).</summary>
public sealed record BenchResult
{
    public required string ModelFile { get; init; }
    public required string ModelType { get; init; }
    public required string WeightType { get; init; }
    public required long ModelSize { get; init; }
    public required long ParameterCount { get; init; }
    public required int Threads { get; init; }
    public required int Prompt { get; init; }
    public required int Generated { get; init; }
    public required int Batch { get; init; }
    public required double[] SamplesNs { get; init; }

    public string Test => Prompt > 0 ? $"pp{Prompt}" : $"tg{Generated}";
    public int Tokens => Prompt + Generated;
    public double[] SamplesTs => SamplesNs.Select(ns => Tokens / (ns / 1e9)).ToArray();
    public double AvgNs => SamplesNs.Average();
    public double StddevNs => Stddev(SamplesNs);
    public double AvgTs => SamplesTs.Average();
    public double StddevTs => Stddev(SamplesTs);

    private static double Stddev(double[] x)
    {
        if (x.Length < 2) return 0;
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
    }
}

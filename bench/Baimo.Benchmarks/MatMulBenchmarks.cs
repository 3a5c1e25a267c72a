using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Baimo.Kernels.Cpu;
using Baimo.Tensors;

namespace Baimo.Benchmarks;

/// <summary>
/// The hot kernel: y = W·x for a TinyLlama feed-forward matrix ([5632][2048]) in each weight type, for one
/// token (decode: bound by memory bandwidth, reported as GB/s of weights read) and for 64 tokens (prompt:
/// bound by arithmetic, reported as GOP/s, one multiply-add = 2 operations). Each figure is also given as a
/// share of this machine's ceiling, measured when the run starts (<see cref="MachinePeaks"/>): memory read
/// bandwidth for one token; for 64 tokens the 8-bit multiply-add rate (quantized types) or the fp32 FMA rate
/// (float types).
/// </summary>
[Config(typeof(Columns))]
public unsafe class MatMulBenchmarks
{
    private const int Rows = 5632, Cols = 2048;
    private byte* _weights;
    private WeightMatrix _matrix = null!;
    private float[] _x = [], _y = [];
    private CpuThreadPool _pool = null!;
    private MatMulContext _ctx = null!;

    [Params(WeightType.Q4_0, WeightType.Q4_1, WeightType.Q5_0, WeightType.Q5_1, WeightType.Q8_0, WeightType.IQ4_NL, WeightType.Q2_K, WeightType.Q3_K,
        WeightType.Q4_K, WeightType.Q5_K, WeightType.Q6_K, WeightType.IQ4_XS, WeightType.F16, WeightType.BF16, WeightType.F32)]
    public WeightType Type { get; set; }

    [Params(1, 64)]
    public int Tokens { get; set; }

    private const int BenchThreads = 2;

    [Params(BenchThreads)]
    public int Threads { get; set; }

    internal static long WeightBytes(WeightType t) => WeightLayout.Of(t).ByteCount((long)Rows * Cols);
    internal static double Operations(int tokens) => 2.0 * Rows * Cols * tokens;

    [GlobalSetup]
    public void Setup()
    {
        var codec = WeightCodecs.Get(Type, "bench");
        long bytes = WeightBytes(Type);
        _weights = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        var rng = new Random(5);
        var values = new float[Cols * 64];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1) * 0.05f;
        var block = new byte[codec.RowBytes(values.Length)];
        codec.Quantize(values, block);
        for (long at = 0; at < bytes; at += block.Length)
            block.AsSpan(0, (int)Math.Min(block.Length, bytes - at)).CopyTo(new Span<byte>(_weights + at, (int)Math.Min(block.Length, bytes - at)));
        _matrix = WeightMatrix.Create("bench", Type, _weights, Rows, Cols);
        _x = Enumerable.Range(0, Cols * Tokens).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        _y = new float[Rows * Tokens];
        _pool = new CpuThreadPool(Threads);
        _ctx = new MatMulContext(_pool);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ctx.Dispose();
        _pool.Dispose();
        NativeMemory.AlignedFree(_weights);
    }

    [Benchmark]
    public void Multiply() => _matrix.Multiply(_x, Tokens, _y, _ctx);

    private static bool IsFloat(WeightType t) => t is WeightType.F32 or WeightType.F16 or WeightType.BF16;

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            double bw = MachinePeaks.ReadGBs(BenchThreads), fma = MachinePeaks.FmaGFlops(BenchThreads), int8 = MachinePeaks.Int8GOps(BenchThreads);
            AddColumn(new Rate("GB/s", $"1 token: weight bytes read per second (this machine reads {bw:F1} GB/s with {BenchThreads} threads)",
                (type, tokens) => tokens == 1 ? WeightBytes(type) / 1e9 : double.NaN, 1));
            AddColumn(new Rate("GOP/s", $"64 tokens: multiply-adds × 2 per second (this machine: {int8:F0} GOP/s of vpmaddubsw byte products, {fma:F0} GFLOP/s fp32 FMA)",
                (type, tokens) => tokens > 1 ? Operations(tokens) / 1e9 : double.NaN, 1));
            AddColumn(new Rate("% peak", "the figure as a share of the ceiling that binds it: read bandwidth (1 token), 8-bit or fp32 multiply-add rate (64 tokens)",
                (type, tokens) => tokens == 1 ? WeightBytes(type) / 1e9 / bw * 100
                    : Operations(tokens) / 1e9 / (IsFloat(type) ? fma : int8) * 100, 0));
        }
    }

    /// <summary>A per-call quantity divided by the mean time; NaN per call means the column does not apply to that case.</summary>
    private sealed class Rate(string name, string legend, Func<WeightType, int, double> perCall, int decimals) : IColumn
    {
        public string Id => name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => legend;
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase c, SummaryStyle style)
        {
            var stats = summary[c]?.ResultStatistics;
            if (stats is null || stats.Mean <= 0) return "-";
            var type = (WeightType)c.Parameters["Type"];
            int tokens = (int)c.Parameters["Tokens"];
            double q = perCall(type, tokens);
            if (double.IsNaN(q) || double.IsInfinity(q)) return "-";
            return (q / (stats.Mean / 1e9)).ToString(decimals == 0 ? "F0" : "F1");
        }
    }
}

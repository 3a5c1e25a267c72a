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
/// token (decode: bound by memory bandwidth, reported as GB/s of weights read; calls take copies of the matrix in
/// turn, at least 128 MiB of them, so the weights come from memory as in a model) and for 64 tokens (prompt:
/// bound by arithmetic, reported as GOP/s, one multiply-add = 2 operations). Each figure is also given as a
/// share of this machine's ceiling, measured when the run starts (<see cref="MachinePeaks"/>): memory read
/// bandwidth for one token; for 64 tokens the 8-bit multiply-add rate (quantized types) or the fp32 FMA rate
/// (float types).
/// </summary>
[Config(typeof(Columns))]
public unsafe class MatMulBenchmarks
{
    private const int Rows = 5632, Cols = 2048;
    /// <summary>Weights of one token's products span at least this much, so they come from memory, not the 32 MB L3.</summary>
    private const long DecodeWorkingSet = 128L << 20;

    private byte* _weights;                  // [copies][WeightBytes]
    private WeightMatrix[] _matrices = [];   // one per copy, used in turn
    private int _next;
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
        int copies = Tokens == 1 ? (int)Math.Max(1, (DecodeWorkingSet + bytes - 1) / bytes) : 1;
        _weights = (byte*)NativeMemory.AlignedAlloc((nuint)(bytes * copies), 64);
        var rng = new Random(5);
        var values = new float[Cols * 64];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1) * 0.05f;
        var block = new byte[codec.RowBytes(values.Length)];
        codec.Quantize(values, block);
        for (int c = 0; c < copies; c++)
            for (long at = 0; at < bytes; at += block.Length)
                block.AsSpan(0, (int)Math.Min(block.Length, bytes - at)).CopyTo(new Span<byte>(_weights + c * bytes + at, (int)Math.Min(block.Length, bytes - at)));
        _matrices = Enumerable.Range(0, copies).Select(c => WeightMatrix.Create("bench", Type, _weights + c * bytes, Rows, Cols)).ToArray();
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
    public void Multiply()
    {
        var m = _matrices[_next];
        _next = (_next + 1) % _matrices.Length;
        m.Multiply(_x, Tokens, _y, _ctx);
    }

    private static bool IsFloat(WeightType t) => t is WeightType.F32 or WeightType.F16 or WeightType.BF16;

    /// <summary>
    /// The machine's ceilings (read GB/s, fp32 GFLOP/s, byte-product GOP/s), measured when the summary first asks for
    /// them: after the benchmarks, when nothing else runs (the run starts by building the benchmark program).
    /// </summary>
    private static readonly Lazy<(double Bw, double Fma, double Int8)> Peaks = new(() =>
        (MachinePeaks.ReadGBs(BenchThreads), MachinePeaks.FmaGFlops(BenchThreads), MachinePeaks.Int8GOps(BenchThreads)));

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new Rate("GB/s", () => $"1 token: weight bytes read per second (this machine reads {Peaks.Value.Bw:F1} GB/s with {BenchThreads} threads)",
                (type, tokens) => tokens == 1 ? WeightBytes(type) / 1e9 : double.NaN, 1));
            AddColumn(new Rate("GOP/s", () => $"64 tokens: multiply-adds × 2 per second (this machine: {Peaks.Value.Int8:F0} GOP/s of vpmaddubsw byte products, {Peaks.Value.Fma:F0} GFLOP/s fp32 FMA)",
                (type, tokens) => tokens > 1 ? Operations(tokens) / 1e9 : double.NaN, 1));
            AddColumn(new Rate("% peak", () => "the figure as a share of the ceiling that binds it: read bandwidth (1 token), byte-product or fp32 multiply-add rate (64 tokens)",
                (type, tokens) => tokens == 1 ? WeightBytes(type) / 1e9 / Peaks.Value.Bw * 100
                    : Operations(tokens) / 1e9 / (IsFloat(type) ? Peaks.Value.Fma : Peaks.Value.Int8) * 100, 0));
        }
    }

    /// <summary>A per-call quantity divided by the mean time; NaN per call means the column does not apply to that case.</summary>
    private sealed class Rate(string name, Func<string> legend, Func<WeightType, int, double> perCall, int decimals) : IColumn
    {
        public string Id => name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => legend();
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

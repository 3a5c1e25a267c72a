using Xunit.Abstractions;

namespace Baimo.Tensors.Tests;

/// <summary>Quantize → dequantize on synthetic data: error budgets, odd inputs, parallel rows.</summary>
public class RoundTripTests(ITestOutputHelper output)
{
    /// <summary>
    /// Budgets on Gaussian data (64 rows × 512, seed 1): RMS error / RMS and worst row max |error| / max |x|,
    /// measured values in the comments, 25 % margin.
    /// </summary>
    public static readonly Dictionary<WeightType, (double Rms, double Max)> GaussianBudgets = new()
    {
        [WeightType.F32] = (0, 0),
        [WeightType.F16] = (2.6e-4, 4.6e-4),    // measured 2.07e-4, 3.68e-4
        [WeightType.BF16] = (2.1e-3, 3.7e-3),   // 1.67e-3, 2.94e-3
        [WeightType.Q8_0] = (6.7e-3, 5.1e-3),   // 5.38e-3, 4.04e-3
        [WeightType.Q8_1] = (6.7e-3, 5.1e-3),   // 5.38e-3, 4.04e-3
        [WeightType.Q8_K] = (8.7e-3, 4.9e-3),   // 6.94e-3, 3.94e-3
        [WeightType.Q4_0] = (0.108, 0.121),     // 0.0864, 0.0969
        [WeightType.Q4_1] = (0.099, 0.081),     // 0.0788, 0.0645
        [WeightType.Q5_0] = (0.054, 0.058),     // 0.043, 0.046
        [WeightType.Q5_1] = (0.047, 0.040),     // 0.0379, 0.0316
        [WeightType.Q2_K] = (0.37, 0.435),      // 0.297, 0.348
        [WeightType.Q3_K] = (0.19, 0.215),      // 0.152, 0.172
        [WeightType.Q4_K] = (0.09, 0.085),      // 0.0716, 0.0678
        [WeightType.Q5_K] = (0.045, 0.046),     // 0.0363, 0.037
        [WeightType.Q6_K] = (0.022, 0.020),     // 0.0178, 0.0161
        [WeightType.IQ4_NL] = (0.096, 0.097),   // 0.0765, 0.0773
        [WeightType.IQ4_XS] = (0.096, 0.101),   // 0.0771, 0.0807
    };

    public static TheoryData<WeightType> AllTypes() => new(WeightCodecs.Supported.Select(c => c.Type));

    private static float[] Gaussian(int count, int seed, float sigma = 1f)
    {
        var rnd = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1 - rnd.NextDouble(), u2 = rnd.NextDouble();
            x[i] = sigma * (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }

    private static float[] RoundTrip(WeightCodec codec, float[] x)
    {
        var q = new byte[codec.RowBytes(x.Length)];
        codec.Quantize(x, q);
        var y = new float[x.Length];
        codec.Dequantize(q, y);
        return y;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void GaussianDataRoundTripsWithinBudget(WeightType type)
    {
        var codec = WeightCodecs.Get(type);
        var x = Gaussian(64 * 512, seed: 1);
        var (rms, max) = Errors.Relative(x, RoundTrip(codec, x), 512);
        output.WriteLine($"{type}: RMS {rms:G3}, max {max:G3}");
        var budget = GaussianBudgets[type];
        Assert.True(rms <= budget.Rms, $"{type}: RMS error {rms:G3} > {budget.Rms}");
        Assert.True(max <= budget.Max, $"{type}: max error {max:G3} > {budget.Max}");
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void ScaleDoesNotMatterWithinTheFp16Range(WeightType type)
    {
        // Block scales are fp16 (Q8_K's fp32): data from 1e-3 to 1e3 keeps about the same relative error
        // (20 % slack: another sample, and at 1e-3 some k-quant scales are fp16 subnormals).
        var codec = WeightCodecs.Get(type);
        var budget = GaussianBudgets[type];
        foreach (float sigma in new[] { 1e-3f, 1e3f })
        {
            var x = Gaussian(16 * 512, seed: 2, sigma);
            var (rms, _) = Errors.Relative(x, RoundTrip(codec, x), 512);
            Assert.True(rms <= budget.Rms * 1.2, $"{type} σ={sigma}: RMS error {rms:G3}");
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void AllZerosDecodeToZeros(WeightType type)
    {
        var codec = WeightCodecs.Get(type);
        var y = RoundTrip(codec, new float[4 * 256]);
        Assert.All(y, v => Assert.Equal(0f, Math.Abs(v)));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void ConstantRowsStayClose(WeightType type)
    {
        var codec = WeightCodecs.Get(type);
        foreach (float c in new[] { 0.5f, -3f, 1e-2f })
        {
            var x = Enumerable.Repeat(c, 512).ToArray();
            var y = RoundTrip(codec, x);
            // A constant block comes back to within the rounding of its fp16 scales (which, for 0.01 split
            // over 63·15 steps, are subnormal: ~0.7 %), except that the Q2_K/Q3_K searches trade some
            // exactness for fit.
            double tol = type switch
            {
                WeightType.F32 => 0,
                WeightType.F16 => 1e-3,
                WeightType.BF16 => 4e-3,
                WeightType.Q2_K or WeightType.Q3_K => 0.1,
                _ => 1e-2,
            };
            Assert.All(y, v => Assert.True(Math.Abs(v - c) <= tol * Math.Abs(c), $"{type}: {c} decodes to {v}"));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void TinyValuesLoseOnlyTinyAmounts(WeightType type)
    {
        // 1e-9 is below fp16's smallest subnormal scale: such blocks may decode to zero, which is an
        // absolute error of at most the values themselves.
        var codec = WeightCodecs.Get(type);
        var x = Gaussian(1024, seed: 3, sigma: 1e-9f);
        var y = RoundTrip(codec, x);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(y[i] - x[i]) <= 1e-8, $"{type}: {x[i]} → {y[i]}");
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void NonFiniteValuesOnlyAffectTheirOwnBlock(WeightType type)
    {
        // Documented behaviour: F32/F16/BF16 keep NaN and infinities; block types do what ggml's reference
        // quantizers do with them (deterministic, meaningless for that block) and leave other blocks alone.
        var codec = WeightCodecs.Get(type);
        int bs = codec.Layout.BlockSize, bpb = codec.Layout.BytesPerBlock;
        var x = Gaussian(bs * 3, seed: 4);
        var clean = new byte[3 * bpb];
        codec.Quantize(x, clean);
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var dirty = (float[])x.Clone();
            dirty[bs + bs / 2] = bad;
            var q = new byte[3 * bpb];
            codec.Quantize(dirty, q);
            Assert.True(q.AsSpan(0, bpb).SequenceEqual(clean.AsSpan(0, bpb)));
            Assert.True(q.AsSpan(2 * bpb).SequenceEqual(clean.AsSpan(2 * bpb)));
            if (bs == 1)
            {
                var y = new float[x.Length];
                codec.Dequantize(q, y);
                Assert.Equal(bad, y[bs + bs / 2]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void QuantizeRowsInParallelEqualsOneCall(WeightType type)
    {
        var codec = WeightCodecs.Get(type);
        int cols = 2 * 256;
        var x = Gaussian(40 * cols, seed: 5);
        var whole = new byte[codec.RowBytes(x.Length)];
        codec.Quantize(x, whole);
        var rows = new byte[whole.Length];
        codec.QuantizeRows(x, cols, rows, maxDegreeOfParallelism: 4);
        Assert.Equal(whole, rows);
    }

    [Fact]
    public void QuantizeRowsRejectsRowsThatAreNotWholeBlocks()
    {
        var codec = WeightCodecs.Get(WeightType.Q4_K);
        var ex = Assert.Throws<ArgumentException>(() => codec.QuantizeRows(new float[3 * 288], 288, new byte[1000]));
        Assert.Contains("288", ex.Message);
        Assert.Contains("256", ex.Message);
        Assert.Throws<ArgumentException>(() => codec.QuantizeRows(new float[2 * 256 + 1], 256, new byte[288]));
        Assert.Throws<ArgumentException>(() => codec.QuantizeRows(new float[2 * 256], 256, new byte[287]));
    }

    [Fact]
    public void SpansThatAreNotWholeBlocksAreRejected()
    {
        var q4 = WeightCodecs.Get(WeightType.Q4_0);
        Assert.Throws<ArgumentException>(() => q4.Dequantize(new byte[17], new float[32]));
        Assert.Throws<ArgumentException>(() => q4.Dequantize(new byte[36], new float[32]));
        Assert.Throws<ArgumentException>(() => q4.Quantize(new float[33], new byte[36]));
        Assert.Throws<NotSupportedException>(() => q4.QuantizeActivations(new float[32], new byte[18]));
    }
}

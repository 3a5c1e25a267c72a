using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>The activation layout holds exactly the numbers of the codec's ggml blocks.</summary>
public unsafe class ActivationQuantizerTests
{
    public static IEnumerable<object[]> Formats =>
        new[] { WeightType.F16, WeightType.BF16, WeightType.Q8_0, WeightType.Q8_1, WeightType.Q8_K }.Select(t => new object[] { t });

    /// <summary>Random rows plus an all-zero block, exact .5 ties and a negative extreme.</summary>
    private static float[] Input(int tokens, int cols)
    {
        var x = TestData.Floats(new Random(11), tokens * cols);
        for (int j = 0; j < 256; j++) x[j] = 0f;
        x[256] = 127f;
        for (int j = 1; j < 32; j++) x[256 + j] = j - 0.5f; // x·127/amax lands exactly on .5
        x[600] = -40f;
        return x;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void MatchesTheCodec(WeightType format)
    {
        const int tokens = 3, cols = 768;
        var x = Input(tokens, cols);
        var codec = WeightCodecs.Get(format);
        int rowBytes = (int)codec.RowBytes(cols);
        var blocks = new byte[rowBytes * tokens];
        codec.QuantizeActivations(x, blocks);
        using var pool = new CpuThreadPool(2);
        using var buffer = new ActivationBuffer();
        fixed (float* px = x)
        {
            var a = buffer.Prepare(format, px, tokens, cols, pool);
            for (int t = 0; t < tokens; t++)
            {
                var b = blocks.AsSpan(t * rowBytes, rowBytes);
                switch (format)
                {
                    case WeightType.F16:
                        for (int c = 0; c < cols; c++) Assert.Equal(Fp16.ToSingle(BitConverter.ToUInt16(b[(2 * c)..])), a.F[t * cols + c]);
                        break;
                    case WeightType.BF16:
                        for (int c = 0; c < cols; c++) Assert.Equal(Bf16.ToSingle(BitConverter.ToUInt16(b[(2 * c)..])), a.F[t * cols + c]);
                        break;
                    case WeightType.Q8_0:
                    case WeightType.Q8_1:
                        int bb = format == WeightType.Q8_0 ? 34 : 36, qo = format == WeightType.Q8_0 ? 2 : 4;
                        for (int k = 0; k < cols / 32; k++)
                        {
                            var blk = b.Slice(k * bb, bb);
                            Assert.Equal(Fp16.ToSingle(BitConverter.ToUInt16(blk)), a.D[t * cols / 32 + k]);
                            if (format == WeightType.Q8_1) Assert.Equal(Fp16.ToSingle(BitConverter.ToUInt16(blk[2..])), a.S[t * cols / 32 + k]);
                            for (int j = 0; j < 32; j++) Assert.Equal((sbyte)blk[qo + j], a.Q[t * cols + 32 * k + j]);
                        }
                        break;
                    case WeightType.Q8_K:
                        for (int k = 0; k < cols / 256; k++)
                        {
                            var blk = b.Slice(k * 292, 292);
                            Assert.Equal(BitConverter.ToSingle(blk), a.D[t * cols / 256 + k]);
                            for (int j = 0; j < 256; j++) Assert.Equal((sbyte)blk[4 + j], a.Q[t * cols + 256 * k + j]);
                            for (int g = 0; g < 16; g++) Assert.Equal(BitConverter.ToInt16(blk[(260 + 2 * g)..]), a.BSums[t * cols / 16 + 16 * k + g]);
                        }
                        break;
                }
            }
        }
    }
}

/// <summary>The vector activation quantizers against their scalar twins, bit for bit, on awkward inputs.</summary>
public unsafe class ActivationQuantizerTwinTests
{
    private static float[] Awkward(int n, int seed)
    {
        var rng = new Random(seed);
        var x = TestData.Floats(rng, n);
        for (int j = 0; j < 32; j++) x[j] = 0f;                       // an all-zero Q8_0 block
        for (int j = 32; j < 64; j++) x[j] = (j - 32) - 15.5f;          // ties after scaling
        x[70] = -x[71] - 0f; x[71] = 3f; x[72] = -3f;                   // equal magnitudes, first one wins
        x[100] = float.NaN;
        x[300] = float.PositiveInfinity;
        x[520] = -0f;
        for (int j = 768; j < 1024; j++) x[j] = 0f;                     // an all-zero Q8_K block
        for (int j = 1024; j < 1280; j++) x[j] = (j % 7) - 3f;          // many equal maxima of both signs
        x[1300] = float.NaN; x[1301] = -1e30f;
        return x;
    }

    [Fact]
    public void Q8_0AndQ8_1MatchTheScalarTwin()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        const int n = 1536;
        for (int seed = 0; seed < 4; seed++)
        {
            var x = Awkward(n, seed);
            var (q1, d1, s1, e1) = (new sbyte[n], new float[n / 32], new float[n / 32], new float[n / 32]);
            var (q2, d2, s2, e2) = (new sbyte[n], new float[n / 32], new float[n / 32], new float[n / 32]);
            fixed (float* px = x, pd1 = d1, ps1 = s1, pe1 = e1, pd2 = d2, ps2 = s2, pe2 = e2)
            fixed (sbyte* pq1 = q1, pq2 = q2)
            {
                ActivationQuantizer.Q8_0Row(px, n, pq1, pd1, ps1, pe1);
                ActivationQuantizer.Q8_0RowVector(px, n, pq2, pd2, ps2, pe2);
            }
            Assert.Equal(q1, q2);
            Assert.Equal(d1, d2);
            Assert.Equal(s1, s2);
            Assert.Equal(e1, e2);
        }
    }

    [Fact]
    public void Q8_KMatchesTheScalarTwin()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        const int n = 1536;
        for (int seed = 0; seed < 4; seed++)
        {
            var x = Awkward(n, seed);
            var (q1, d1, b1) = (new sbyte[n], new float[n / 256], new short[n / 16]);
            var (q2, d2, b2) = (new sbyte[n], new float[n / 256], new short[n / 16]);
            fixed (float* px = x, pd1 = d1, pd2 = d2)
            fixed (sbyte* pq1 = q1, pq2 = q2)
            fixed (short* pb1 = b1, pb2 = b2)
            {
                ActivationQuantizer.Q8_KRow(px, n, pq1, pd1, pb1);
                ActivationQuantizer.Q8_KRowVector(px, n, pq2, pd2, pb2);
            }
            Assert.Equal(q1, q2);
            Assert.Equal(d1, d2);
            Assert.Equal(b1, b2);
        }
    }

    /// <summary>
    /// The vector fp16 rounding gives the scalar conversion's bits on random bit patterns (NaNs, infinities, subnormals
    /// included) and around every boundary: the subnormal/normal edge, ties, 65504/65520, powers of two.
    /// </summary>
    [Fact]
    public void VectorFp16RoundingIsTheScalarOne()
    {
        var values = new List<float>();
        var rng = new Random(8);
        for (int i = 0; i < 200_000; i++) values.Add(BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32)));
        for (int i = 0; i < 200_000; i++) values.Add((float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 20))));
        foreach (float edge in new[] { 65504f, 65519.99f, 65520f, 65536f, 6.1035156e-05f, 6.097555e-05f, 5.9604645e-08f, 2.9802322e-08f, 1f, 0f, float.Epsilon })
            for (int d = -4; d <= 4; d++)
            {
                float v = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(edge) + d);
                values.Add(v);
                values.Add(-v);
            }
        for (int e = -26; e <= 16; e++)
            for (int m = 0; m < 64; m++) values.Add(MathF.ScaleB(1f + m / 1024f + 1f / 2048f, e)); // exact ties
        var x = values.ToArray();
        var y = new float[x.Length];
        fixed (float* px = x, py = y) ActivationQuantizer.RoundToF16(px, py, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = Fp16.ToSingle(Fp16.FromSingle(x[i]));
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(y[i]),
                $"{x[i]:R} (0x{BitConverter.SingleToUInt32Bits(x[i]):X8}): vector {y[i]:R}, scalar {expected:R}");
        }
    }
}

using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>
/// The row-interleaved kernels: against the scalar twin on row counts that are not multiples of the group
/// and token counts that are not multiples of the tile, and batch-invariant (a token's result is the same
/// bits whatever batch it comes in).
/// </summary>
public unsafe class PackedKernelTests : IDisposable
{
    private readonly CpuThreadPool _pool = new(2);
    private readonly MatMulContext _ctx;

    public PackedKernelTests() => _ctx = new MatMulContext(_pool);

    public void Dispose()
    {
        _ctx.Dispose();
        _pool.Dispose();
    }

    // Where the CPU has no packed kernels (ARM64, x86 without AVX2) one case remains and reports itself skipped.
    public static IEnumerable<object[]> PackedTypes =>
        TestData.Types.Where(t => PackedKernel.For(t) != null).DefaultIfEmpty(WeightType.Q4_0).Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(PackedTypes))]
    public void PackedMatchesTheScalarTwinAndIsBatchInvariant(WeightType type)
    {
        Assert.SkipWhen(PackedKernel.For(type) == null, $"no packed {type} kernel on this CPU");
        int bs = TestData.BlockSize(type);
        int seed = 7;
        foreach (int rows in new[] { 1, 8, 13, 40, 67 })
            foreach (int blocks in new[] { 1, 2, 3, 8 })
            {
                int cols = blocks * bs, tokens = 19;
                var (bytes, _) = TestData.Weights(type, rows, cols, seed++);
                using var w = new NativeBytes(bytes);
                var x = TestData.Floats(new Random(seed++), tokens * cols);
                var fast = WeightMatrix.Create("w", type, w.Pointer, rows, cols);
                var scalar = WeightMatrix.Create("w", type, w.Pointer, rows, cols, scalar: true);
                Assert.True(fast.Packs);
                var yf = new float[tokens * rows];
                var ys = new float[tokens * rows];
                fast.Multiply(x, tokens, yf, _ctx);
                scalar.Multiply(x, tokens, ys, _ctx);
                var (_, mag) = TestData.Reference(type, w.Span, rows, cols, x, tokens);
                for (int i = 0; i < ys.Length; i++)
                    Assert.True(Math.Abs(yf[i] - ys[i]) <= 4e-6 * mag[i] + 1e-30,
                        $"{type} rows {rows} cols {cols} [{i / rows}][{i % rows}]: {yf[i]} vs scalar {ys[i]}");

                // Every prefix batch and every single token give the same bits as the whole batch.
                foreach (int n in new[] { 1, 3, 4, 5, 8, 9, 12 })
                {
                    var yn = new float[n * rows];
                    fast.Multiply(x.AsSpan(0, n * cols), n, yn, _ctx);
                    Assert.Equal(yf.AsSpan(0, n * rows).ToArray(), yn);
                }
                var y1 = new float[rows];
                for (int t = 0; t < tokens; t++)
                {
                    fast.Multiply(x.AsSpan(t * cols, cols), 1, y1, _ctx);
                    Assert.Equal(yf.AsSpan(t * rows, rows).ToArray(), y1);
                }
            }
    }

    /// <summary>
    /// Each instruction-set variant this CPU runs (AVX-VNNI where present, and always the AVX2 one the others
    /// fall back to), called directly on packed groups, against the scalar twin; Q8_0 with every code at ±127 and
    /// activations at full scale, where int16 pair sums would overflow if the codes were stored offset.
    /// </summary>
    [Theory]
    [MemberData(nameof(PackedTypes))]
    public void EveryIsaVariantMatchesTheScalarTwin(WeightType type)
    {
        Assert.SkipWhen(PackedKernel.For(type) == null, $"no packed {type} kernel on this CPU");
        int bs = TestData.BlockSize(type);
        const int rows = 32, tokens = 9; // two groups of 16 rows (the 512-bit forms) or four of 8
        foreach (bool extreme in new[] { false, true })
        {
            int cols = 3 * bs;
            var (bytes, _) = TestData.Weights(type, rows, cols, 11);
            var x = TestData.Floats(new Random(12), tokens * cols);
            if (extreme)
            {
                // Every code at its largest magnitude, every activation code at ±127: the int16 pair sums of the
                // AVX2 variant are at their limit.
                Extremes(type, bytes);
                for (int i = 0; i < x.Length; i++) x[i] = i < cols ? 1f : -1f; // token 0 positive, the rest negative
            }
            using var w = new NativeBytes(bytes);
            var scalar = WeightMatrix.Create("w", type, w.Pointer, rows, cols, scalar: true);
            var expected = new float[tokens * rows];
            scalar.Multiply(x, tokens, expected, _ctx);
            var (_, mag) = TestData.Reference(type, w.Span, rows, cols, x, tokens);
            var kernel = DotKernel.For(type)!;
            foreach (var (isa, k) in PackedKernel.Variants(type))
            {
                nint groupBytes = k.GroupBytes(cols);
                int groupRows = k.RowsPerGroup, groups = rows / groupRows;
                var packed = new byte[groups * groupBytes];
                var y = new float[tokens * rows];
                fixed (byte* p = packed)
                fixed (float* px = x, py = y)
                {
                    for (int g = 0; g < groups; g++)
                        Assert.True(k.Pack(w.Pointer + g * groupRows * (nint)(bytes.Length / rows), bytes.Length / rows, cols / k.BlockValues, p + g * groupBytes));
                    var a = _ctx.Activations.Prepare(kernel.ActivationType, px, tokens, cols, _pool);
                    for (int g = 0; g < groups; g++)
                    {
                        k.Tile(p + g * groupBytes, &a, 0, 8, py + g * groupRows, rows);   // a full tile
                        k.Tile(p + g * groupBytes, &a, 8, 1, py + 8 * rows + g * groupRows, rows); // and a single token
                    }
                }
                for (int i = 0; i < y.Length; i++)
                    Assert.True(Math.Abs(y[i] - expected[i]) <= 4e-6 * mag[i] + 1e-30,
                        $"{type} {isa}{(extreme ? " extreme" : "")} [{i / rows}][{i % rows}]: {y[i]} vs scalar {expected[i]}");
                if (extreme) Assert.Contains(expected, v => Math.Abs(v) > 0); // the extremes really produced sums
            }
        }
    }

    /// <summary>Sets every block of <paramref name="bytes"/> to its largest codes (scale 1, no minimum).</summary>
    private static void Extremes(WeightType type, byte[] bytes)
    {
        int blockBytes = WeightLayout.Of(type).BytesPerBlock;
        for (int at = 0; at < bytes.Length; at += blockBytes)
        {
            var b = bytes.AsSpan(at, blockBytes);
            switch (type)
            {
                case WeightType.Q8_0: // d, 32 codes: 127 in even blocks, −127 in odd ones
                    b[2..].Fill((byte)(sbyte)(at / blockBytes % 2 == 0 ? 127 : -127));
                    break;
                case WeightType.Q4_0: // d, 16 bytes of nibbles: 15
                    b[2..].Fill(0xFF);
                    break;
                case WeightType.Q4_1: // d, m = 0, 16 bytes of nibbles: 15
                    b[2] = 0; b[3] = 0;
                    b[4..].Fill(0xFF);
                    break;
                case WeightType.Q5_0: // d, qh, 16 bytes of nibbles: codes 31
                    b[2..].Fill(0xFF);
                    break;
                case WeightType.Q5_1: // d, m = 0, qh, 16 bytes of nibbles: codes 31
                    b[2] = 0; b[3] = 0;
                    b[4..].Fill(0xFF);
                    break;
                case WeightType.IQ4_NL: // d, 16 bytes of nibbles: level −127 in even blocks, +113 in odd ones
                    b[2..].Fill((byte)(at / blockBytes % 2 == 0 ? 0x00 : 0xFF));
                    break;
                case WeightType.Q2_K: // scales 15 with mins 0, qs: codes 3; d, dmin = 0
                    b[..16].Fill(0x0F);
                    b[16..80].Fill(0xFF);
                    b[82] = 0; b[83] = 0;
                    break;
                case WeightType.Q3_K: // hmask, qs: codes 7; scales: 63 (31 after the offset); d
                    b[..108].Fill(0xFF);
                    break;
                case WeightType.IQ4_XS: // d, scales 63 (31 after the offset), qs: level −127
                    b[2..8].Fill(0xFF);
                    b[8..].Fill(0x00);
                    break;
                case WeightType.Q4_K: // d, dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles: 15
                    b[2] = 0; b[3] = 0;
                    b[4..16].Fill(0x01);
                    b[16..].Fill(0xFF);
                    break;
                case WeightType.Q5_K: // d, dmin, 12 bytes of scales and mins, qh[32] and qs[128]: codes 31
                    b[2] = 0; b[3] = 0;
                    b[4..16].Fill(0x01);
                    b[16..].Fill(0xFF);
                    break;
                case WeightType.Q6_K: // ql[128], qh[64]: codes 63; 16 scales; d
                    b[..192].Fill(0xFF);
                    b[192..208].Fill(0x01);
                    break;
            }
            int d = type switch { WeightType.Q6_K => 208, WeightType.Q2_K => 80, WeightType.Q3_K => 108, _ => 0 };
            b[d] = 0x00; // d = 1/1024 (fp16 0x1400)
            b[d + 1] = 0x14;
        }
    }

    [Fact]
    public void CommonTypesPackOnVnniCpus()
    {
        if (!System.Runtime.Intrinsics.X86.AvxVnni.IsSupported) return;
        foreach (var t in new[] { WeightType.Q4_0, WeightType.Q8_0, WeightType.Q4_K, WeightType.Q6_K })
            Assert.NotNull(PackedKernel.For(t));
    }

    [Fact]
    public void NonFiniteScalesKeepTheFileLayout()
    {
        if (PackedKernel.For(WeightType.Q8_0) == null) return;
        int rows = 8, cols = 64;
        var (bytes, _) = TestData.Weights(WeightType.Q8_0, rows, cols, 3);
        bytes[34 * 2 * 3] = 0x00; // row 3, block 0: d = +inf
        bytes[34 * 2 * 3 + 1] = 0x7C;
        using var w = new NativeBytes(bytes);
        var x = TestData.Floats(new Random(4), cols);
        var fast = WeightMatrix.Create("w", WeightType.Q8_0, w.Pointer, rows, cols);
        var scalar = WeightMatrix.Create("w", WeightType.Q8_0, w.Pointer, rows, cols, scalar: true);
        var yf = new float[rows];
        var ys = new float[rows];
        fast.Multiply(x, 1, yf, _ctx);
        scalar.Multiply(x, 1, ys, _ctx);
        Assert.False(float.IsFinite(ys[3]));
        Assert.False(float.IsFinite(yf[3]));
        for (int r = 0; r < rows; r++)
            if (r != 3) Assert.True(Math.Abs(yf[r] - ys[r]) <= 1e-4f * (1 + Math.Abs(ys[r])));
    }
}

/// <summary>The F16 kernel's fast conversion and its fallback for chunks holding infinities or NaNs.</summary>
public unsafe class F16ConversionTests
{
    [Fact]
    public void SubnormalsInfinitiesAndNaNsMatchTheScalarTwin()
    {
        const int rows = 4, cols = 64;
        var h = new ushort[rows * cols];
        var rng = new Random(2);
        for (int i = 0; i < h.Length; i++) h[i] = (ushort)rng.Next(0, 0x7C00); // finite, positive
        for (int i = 0; i < h.Length; i += 3) h[i] |= 0x8000;                   // some negative
        for (int i = 0; i < cols; i++) h[i] = (ushort)(i % 5 == 0 ? 0x8001 : i);   // row 0: subnormals
        h[cols + 20] = 0x7C00;                                                    // row 1: +inf
        h[2 * cols + 40] = 0x7E00;                                                // row 2: NaN
        var bytes = new byte[h.Length * 2];
        Buffer.BlockCopy(h, 0, bytes, 0, bytes.Length);
        using var w = new NativeBytes(bytes);
        using var pool = new CpuThreadPool(1);
        using var ctx = new MatMulContext(pool);
        var x = new float[8 * cols];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.5) * 1e-3f;
        var fast = WeightMatrix.Create("w", WeightType.F16, w.Pointer, rows, cols);
        var scalar = WeightMatrix.Create("w", WeightType.F16, w.Pointer, rows, cols, scalar: true);
        foreach (int tokens in new[] { 1, 4, 8 })
        {
            var yf = new float[tokens * rows];
            var ys = new float[tokens * rows];
            fast.Multiply(x.AsSpan(0, tokens * cols), tokens, yf, ctx);
            scalar.Multiply(x.AsSpan(0, tokens * cols), tokens, ys, ctx);
            for (int i = 0; i < ys.Length; i++)
            {
                Assert.Equal(float.IsNaN(ys[i]), float.IsNaN(yf[i]));
                if (float.IsFinite(ys[i])) Assert.True(Math.Abs(yf[i] - ys[i]) <= 1e-3 * (Math.Abs(ys[i]) + 1e-3), $"[{i}] {yf[i]} vs {ys[i]}");
                else if (!float.IsNaN(ys[i])) Assert.Equal(ys[i], yf[i]);
            }
        }
    }
}

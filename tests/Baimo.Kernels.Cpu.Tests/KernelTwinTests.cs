using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>Every vector kernel this CPU can run against its scalar twin, called tile by tile on odd shapes.</summary>
public unsafe class KernelTwinTests
{
    // BAIMO_TEST_SHAPES=small keeps the shapes that reach every code path (one and four tokens, a tail of three,
    // odd block counts), for runs under an instruction-set emulator, where the full set takes many minutes.
    private static readonly bool Small = Environment.GetEnvironmentVariable("BAIMO_TEST_SHAPES") == "small";
    private static readonly int[] Rows = Small ? [1, 3] : [1, 3, 17, 255];
    private static readonly int[] Tokens = Small ? [1, 7] : [1, 2, 7, 33];
    private static readonly int MaxBlocks = Small ? 3 : 9;

    [Theory]
    [MemberData(nameof(TestData.TypeData), MemberType = typeof(TestData))]
    public void VectorKernelsMatchTheScalarTwin(WeightType type)
    {
        var kernel = DotKernel.For(type)!;
        int bs = TestData.BlockSize(type);
        int seed = 100;
        using var pool = new CpuThreadPool(1);
        using var buffer = new ActivationBuffer();
        int cases = 0;
        foreach (int rows in Rows)
            foreach (int tokens in Tokens)
                for (int blocks = 1; blocks <= MaxBlocks; blocks++)
                {
                    if (rows == 255 && blocks % 4 != 1) continue; // 1, 5, 9 blocks: enough for the big shape
                    int cols = blocks * bs;
                    var (bytes, _) = TestData.Weights(type, rows, cols, seed++);
                    using var w = new NativeBytes(bytes);
                    var x = TestData.Floats(new Random(seed++), tokens * cols);
                    var (_, mag) = TestData.Reference(type, w.Span, rows, cols, x, tokens);
                    var expected = Apply(kernel.Scalar, w, rows, cols, x, tokens, kernel, buffer, pool);
                    foreach (var (isa, tile) in kernel.Variants)
                    {
                        var actual = Apply((delegate*<byte*, Activations*, int, int, float*, nint, void>)tile, w, rows, cols, x, tokens, kernel, buffer, pool);
                        for (int i = 0; i < expected.Length; i++)
                            Assert.True(Math.Abs(actual[i] - expected[i]) <= 4e-6 * mag[i] + 1e-30,
                                $"{type} {isa} rows {rows} cols {cols} tokens {tokens} [{i}]: {actual[i]} vs scalar {expected[i]}");
                        cases++;
                    }
                }
        Assert.True(kernel.Variants.Count == 0 || cases > 0);
    }

    /// <summary>The driver's loop without the threads: every row against tiles of up to MaxTile tokens. y [tokens][rows].</summary>
    private static float[] Apply(delegate*<byte*, Activations*, int, int, float*, nint, void> tile, NativeBytes w, int rows, int cols,
        float[] x, int tokens, DotKernel kernel, ActivationBuffer buffer, CpuThreadPool pool)
    {
        var y = new float[tokens * rows];
        long rowBytes = WeightCodecs.Get(kernel.Type).RowBytes(cols);
        fixed (float* px = x, py = y)
        {
            var a = buffer.Prepare(kernel.ActivationType, px, tokens, cols, pool);
            for (int t = 0; t < tokens; t += DotKernel.MaxTile)
            {
                int n = Math.Min(DotKernel.MaxTile, tokens - t);
                for (int r = 0; r < rows; r++)
                    tile(w.Pointer + r * rowBytes, &a, t, n, py + t * rows + r, rows);
            }
        }
        return y;
    }

    [Fact]
    public void CommonTypesHaveVectorKernelsOnThisCpu()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        foreach (var t in new[] { WeightType.Q4_0, WeightType.Q8_0, WeightType.Q4_K, WeightType.Q6_K, WeightType.F16, WeightType.BF16, WeightType.F32, WeightType.Q4_1, WeightType.Q5_0, WeightType.Q5_1, WeightType.IQ4_NL, WeightType.Q5_K, WeightType.Q2_K, WeightType.Q3_K, WeightType.IQ4_XS })
            Assert.NotEqual("scalar", DotKernel.For(t)!.FastPath);
    }

    [Fact]
    public void Arm64RunsTheDotProductKernels()
    {
        if (!System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported) return;
        string expected = System.Runtime.Intrinsics.Arm.Dp.IsSupported ? "AdvSimd+DotProd" : "AdvSimd";
        foreach (var t in DotKernel.Types)
        {
            var k = DotKernel.For(t)!;
            bool floats = t is WeightType.F32 or WeightType.F16 or WeightType.BF16;
            Assert.Equal(floats ? "AdvSimd" : expected, k.FastPath);
            Assert.Contains(k.Variants, v => v.Isa == "AdvSimd"); // the form without sdot is tested here as well
        }
    }
}

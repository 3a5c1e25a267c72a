using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>
/// The F16/BF16 prompt path (widened rows, 4×6 register tiles) gives the same bits as multiplying the tokens one
/// at a time, on shapes with partial row blocks, partial token tiles and column tails; and stays within the
/// type's tolerance of the double-precision reference.
/// </summary>
public sealed class FloatGemmTests : IDisposable
{
    private readonly CpuThreadPool _pool = new(2);
    private readonly MatMulContext _ctx;
    public FloatGemmTests() => _ctx = new MatMulContext(_pool);
    public void Dispose() { _ctx.Dispose(); _pool.Dispose(); }

    [Theory]
    [InlineData(WeightType.F16, 70, 520, 13)]
    [InlineData(WeightType.F16, 64, 512, 8)]
    [InlineData(WeightType.F16, 5, 37, 9)]
    [InlineData(WeightType.BF16, 70, 520, 13)]
    [InlineData(WeightType.BF16, 3, 16, 30)]
    public unsafe void APromptEqualsTheTokensOneByOne(WeightType type, int rows, int cols, int tokens)
    {
        var (bytes, _) = TestData.Weights(type, rows, cols, 17);
        using var w = new NativeBytes(bytes);
        var m = WeightMatrix.Create("w", type, w.Pointer, rows, cols);
        var x = TestData.Floats(new Random(3), tokens * cols);
        var batch = new float[tokens * rows];
        m.Multiply(x, tokens, batch, _ctx);
        var single = new float[rows];
        for (int t = 0; t < tokens; t++)
        {
            m.Multiply(x.AsSpan(t * cols, cols), 1, single, _ctx);
            for (int r = 0; r < rows; r++)
                Assert.True(BitConverter.SingleToInt32Bits(single[r]) == BitConverter.SingleToInt32Bits(batch[t * rows + r]),
                    $"token {t} row {r}: one by one {single[r]:R}, in a batch {batch[t * rows + r]:R}");
        }

        // And the batch is right, not just consistent: against the scalar twin, which sums in double.
        var reference = WeightMatrix.Create("w", type, w.Pointer, rows, cols, scalar: true);
        var expected = new float[tokens * rows];
        reference.Multiply(x, tokens, expected, _ctx);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - batch[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"[{i}] {batch[i]} vs {expected[i]}");
    }
}

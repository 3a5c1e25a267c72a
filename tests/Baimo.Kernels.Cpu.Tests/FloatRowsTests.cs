using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>
/// The packed F16/BF16 layout (four rows a group) and its decode kernel: the same bits as the one-row kernels it
/// replaces, whatever the batch; matrices with an F16 infinity or NaN keep the file layout.
/// </summary>
public sealed unsafe class FloatRowsTests : IDisposable
{
    private readonly CpuThreadPool _pool = new(2);
    private readonly MatMulContext _ctx;
    public FloatRowsTests() => _ctx = new MatMulContext(_pool);
    public void Dispose() { _ctx.Dispose(); _pool.Dispose(); }

    public static IEnumerable<object[]> Shapes()
    {
        foreach (var type in new[] { WeightType.F16, WeightType.BF16 })
            foreach (var (rows, cols) in new[] { (1, 16), (3, 37), (5, 64), (67, 130), (8, 2050) })
                yield return [type, rows, cols];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PackedRowsGiveTheOneRowKernelsBits(WeightType type, int rows, int cols)
    {
        if (!FloatRows.Supports(type)) return;
        var (bytes, _) = TestData.Weights(type, rows, cols, rows * 31 + cols);
        // Subnormal fp16 weights: their widened form is a subnormal float, which must still multiply exactly.
        if (type == WeightType.F16)
            for (int i = 0; i < bytes.Length; i += 14) { bytes[i] = (byte)(i % 251); bytes[i + 1] = (byte)(i % 3 == 0 ? 0x80 : 0x00); }
        using var w = new NativeBytes(bytes);
        var m = WeightMatrix.Create("w", type, w.Pointer, rows, cols);
        const int tokens = 7;
        var x = TestData.Floats(new Random(cols), tokens * cols);
        x[3] = 65504f; // the largest fp16: scaled by 2^112 it must stay finite
        var y = new float[tokens * rows];
        m.Multiply(x, tokens, y, _ctx);
        Assert.True(m.IsPacked);

        // The one-row kernel on the file layout, token by token.
        var expected = new float[tokens * rows];
        fixed (float* px = x, e = expected)
        {
            var a = _ctx.Activations.Prepare(type, px, tokens, cols, _pool);
            for (int r = 0; r < rows; r++)
            {
                byte* row = w.Pointer + (nint)r * cols * 2;
                if (type == WeightType.F16) F16Dot.Tile(row, &a, 0, tokens, e + r, rows);
                else BF16Dot.Tile(row, &a, 0, tokens, e + r, rows);
            }
        }
        for (int i = 0; i < y.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(y[i]),
                $"{type} {rows}×{cols} token {i / rows} row {i % rows}: packed {y[i]:R}, one-row kernel {expected[i]:R}");

        // Every smaller batch, and a prompt-sized one (the widened register tiles), agree bit for bit.
        foreach (int n in new[] { 1, 2, 5 })
        {
            var yn = new float[n * rows];
            m.Multiply(x.AsSpan(0, n * cols), n, yn, _ctx);
            Assert.Equal(y.AsSpan(0, n * rows).ToArray(), yn);
        }
        var xl = new float[13 * cols];
        x.CopyTo(xl, 0);
        var yl = new float[13 * rows];
        m.Multiply(xl, 13, yl, _ctx);
        Assert.Equal(y, yl.AsSpan(0, tokens * rows).ToArray());
    }

    [Fact]
    public void AnF16InfinityKeepsTheFileLayout()
    {
        if (!FloatRows.Supports(WeightType.F16)) return;
        const int rows = 9, cols = 48;
        var (bytes, _) = TestData.Weights(WeightType.F16, rows, cols, 5);
        bytes[2 * (5 * cols + 7)] = 0x00; // row 5, column 7: +inf
        bytes[2 * (5 * cols + 7) + 1] = 0x7C;
        using var w = new NativeBytes(bytes);
        var m = WeightMatrix.Create("w", WeightType.F16, w.Pointer, rows, cols);
        var x = TestData.Floats(new Random(1), cols);
        var y = new float[rows];
        m.Multiply(x, 1, y, _ctx);
        Assert.False(m.IsPacked);
        Assert.False(float.IsFinite(y[5]));
        Assert.All(y.Where((_, r) => r != 5), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BF16InfinitiesPack()
    {
        if (!FloatRows.Supports(WeightType.BF16)) return;
        const int rows = 4, cols = 32;
        var (bytes, _) = TestData.Weights(WeightType.BF16, rows, cols, 6);
        bytes[2 * 3] = 0x80; // row 0, column 3: +inf (0x7F80)
        bytes[2 * 3 + 1] = 0x7F;
        using var w = new NativeBytes(bytes);
        var m = WeightMatrix.Create("w", WeightType.BF16, w.Pointer, rows, cols);
        var x = TestData.Floats(new Random(2), cols);
        x[3] = 0.5f;
        var y = new float[rows];
        m.Multiply(x, 1, y, _ctx);
        Assert.True(m.IsPacked);
        Assert.Equal(float.PositiveInfinity, y[0]);
    }
}

using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>Packing ahead of the first product (a server does it at load) and reading a matrix's pages.</summary>
public unsafe class PrepareTests : IDisposable
{
    private readonly CpuThreadPool _pool = new(2);
    private readonly MatMulContext _ctx;

    public PrepareTests() => _ctx = new MatMulContext(_pool);

    public void Dispose()
    {
        _ctx.Dispose();
        _pool.Dispose();
    }

    [Theory]
    [MemberData(nameof(TestData.TypeData), MemberType = typeof(TestData))]
    public void PrepareMakesThePackedCopyAndChangesNoResult(WeightType type)
    {
        int rows = 13, cols = 2 * TestData.BlockSize(type), tokens = 9;
        var (bytes, _) = TestData.Weights(type, rows, cols, 3);
        using var w = new NativeBytes(bytes);
        var x = TestData.Floats(new Random(4), tokens * cols);
        var lazy = WeightMatrix.Create("w", type, w.Pointer, rows, cols);
        var early = WeightMatrix.Create("w", type, w.Pointer, rows, cols);

        long packed = early.Prepare(_pool);
        Assert.Equal(early.Packs, packed > 0);
        Assert.Equal(early.Packs, early.IsPacked);
        if (early.Packs) Assert.True(packed >= bytes.Length, $"{type}: {packed} packed bytes for {bytes.Length} file bytes");
        Assert.Equal(packed, early.Prepare(_pool)); // a second call packs nothing again and reports the same copy

        var yl = new float[tokens * rows];
        var ye = new float[tokens * rows];
        lazy.Multiply(x, tokens, yl, _ctx);
        early.Multiply(x, tokens, ye, _ctx);
        Assert.Equal(yl, ye);
    }

    [Fact]
    public void ReadPagesCoversTheMatrix()
    {
        const int rows = 5, cols = 64;
        var (bytes, _) = TestData.Weights(WeightType.Q8_0, rows, cols, 1);
        using var w = new NativeBytes(bytes);
        var m = WeightMatrix.Create("w", WeightType.Q8_0, w.Pointer, rows, cols);
        Assert.Equal(bytes.Length, m.ReadPages());
    }

    [Fact]
    public void ScalarMatricesHaveNothingToPack()
    {
        var (bytes, _) = TestData.Weights(WeightType.Q4_0, 8, 64, 2);
        using var w = new NativeBytes(bytes);
        var m = WeightMatrix.Create("w", WeightType.Q4_0, w.Pointer, 8, 64, scalar: true);
        Assert.Equal(0, m.Prepare(_pool));
        Assert.False(m.IsPacked);
    }
}

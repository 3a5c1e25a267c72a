using Baimo.Knowledge.Storage;

namespace Baimo.Knowledge.Tests.Storage;

public class VectorMathTests
{
    [Fact]
    public void SimdDotAgreesWithTheScalarLoopOnEveryLength()
    {
        var rng = new Random(7);
        for (int n = 0; n <= 257; n++)
        {
            var a = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            float magnitude = a.Zip(b, (x, y) => Math.Abs(x * y)).Sum();
            Assert.True(Math.Abs(VectorMath.Dot(a, b) - VectorMath.DotScalar(a, b)) <= 1e-5f * (1 + magnitude), $"length {n}");
        }
    }

    [Fact]
    public void NormalizeMakesUnitLengthAndLeavesZeroAlone()
    {
        var v = new float[] { 3, 4 };
        VectorMath.Normalize(v);
        Assert.Equal([0.6f, 0.8f], v);
        var z = new float[3];
        VectorMath.Normalize(z);
        Assert.Equal([0f, 0f, 0f], z);
    }

    [Fact]
    public void LengthsMustMatch() => Assert.Throws<ArgumentException>(() => VectorMath.Dot([1f], [1f, 2f]));
}

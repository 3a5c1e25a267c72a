using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Four accumulators summed at once, each to the same bits as <c>Vector256.Sum(acc.GetLower() + acc.GetUpper())</c>.
/// That sum adds lanes pairwise, ((h0 + h1) + (h2 + h3)) + ((h4 + h5) + (h6 + h7)); two rounds of horizontal adds
/// over four accumulators build exactly those pairs for all four side by side, and one add of the 128-bit halves
/// finishes them. Summing accumulators one by one costs about four times the shuffles, which in a register tile
/// of 24 accumulators over a 2,048-column row is several percent of the whole product.
/// </summary>
internal static class Sums4
{
    /// <summary>[sum(c0), sum(c1), sum(c2), sum(c3)], each as the one-accumulator sum above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3)
    {
        // [a0+a1, a2+a3, b0+b1, b2+b3 | a4+a5, a6+a7, b4+b5, b6+b7] and the same for c, d.
        var ab = Avx.HorizontalAdd(c0.GetLower() + c0.GetUpper(), c1.GetLower() + c1.GetUpper());
        var cd = Avx.HorizontalAdd(c2.GetLower() + c2.GetUpper(), c3.GetLower() + c3.GetUpper());
        // [(a0+a1)+(a2+a3), b…, c…, d… | (a4+a5)+(a6+a7), b…, c…, d…]
        var q = Avx.HorizontalAdd(ab, cd);
        return q.GetLower() + q.GetUpper();
    }
}

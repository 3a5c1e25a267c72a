using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_KDot
{
    /// <summary>
    /// The vector kernel, token by token (a 2048-column row is ~1 KiB and stays in L1 for the tile).
    /// Per sub-block the codes meet the activations in int16 pairs (≤ 2·15·127), which the 6-bit scale then
    /// widens into the int32 super-block sum; the mins go through the activations' bsums.
    /// </summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 256;
        for (int i = 0; i < count; i++)
        {
            int t = t0 + i;
            y[i * yStride] = Dot1<TIsa>(w, a->Q + (nint)t * cols, a->D + (nint)t * nb, a->BSums + (nint)t * (cols / 16), nb);
        }
    }

    private static float Dot1<TIsa>(byte* w, sbyte* q, float* dx, short* bsums, int nb) where TIsa : IInt8Isa
    {
        var mask = Vector256.Create((byte)0x0F);
        var acc = Vector256<float>.Zero;
        float mins = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256, bsums += 16)
        {
            var isum = Vector256<int>.Zero;
            int msum = 0;
            for (int c = 0; c < 4; c++)
            {
                ScaleMinK4(2 * c, w + 4, out int sc0, out int m0);
                ScaleMinK4(2 * c + 1, w + 4, out int sc1, out int m1);
                msum += m0 * (bsums[4 * c] + bsums[4 * c + 1]) + m1 * (bsums[4 * c + 2] + bsums[4 * c + 3]);
                var raw = Vector256.Load(w + 16 + 32 * c);
                var lo = raw & mask;
                var hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & mask;
                var p0 = Avx2.MultiplyAddAdjacent(lo, Vector256.Load(q + 64 * c));
                var p1 = Avx2.MultiplyAddAdjacent(hi, Vector256.Load(q + 64 * c + 32));
                isum = TIsa.DotI16(isum, p0, Vector256.Create((short)sc0));
                isum = TIsa.DotI16(isum, p1, Vector256.Create((short)sc1));
            }
            acc = Vec.ScaleAdd(isum, dx[b] * Half(w), acc);
            mins += dx[b] * Half(w + 2) * msum;
        }
        return Vector256.Sum(acc) - mins;
    }
}

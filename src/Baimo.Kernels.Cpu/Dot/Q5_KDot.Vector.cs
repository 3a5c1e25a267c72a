using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q5_KDot
{
    /// <summary>The vector kernel, token by token: as Q4_K with the fifth bit from qh (pairs ≤ 2·31·127 fit int16).</summary>
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
        var one = Vector256.Create((byte)1);
        var acc = Vector256<float>.Zero;
        float mins = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256, bsums += 16)
        {
            var isum = Vector256<int>.Zero;
            int msum = 0;
            var qh = Vector256.Load(w + 16);
            for (int c = 0; c < 4; c++)
            {
                ScaleMinK4(2 * c, w + 4, out int sc0, out int m0);
                ScaleMinK4(2 * c + 1, w + 4, out int sc1, out int m1);
                msum += m0 * (bsums[4 * c] + bsums[4 * c + 1]) + m1 * (bsums[4 * c + 2] + bsums[4 * c + 3]);
                var raw = Vector256.Load(w + 48 + 32 * c);
                var lo = (raw & mask) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 2 * c) & one, 4);
                var hi = (Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & mask) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 2 * c + 1) & one, 4);
                isum = TIsa.DotI16(isum, Avx2.MultiplyAddAdjacent(lo, Vector256.Load(q + 64 * c)), Vector256.Create((short)sc0));
                isum = TIsa.DotI16(isum, Avx2.MultiplyAddAdjacent(hi, Vector256.Load(q + 64 * c + 32)), Vector256.Create((short)sc1));
            }
            acc = Vec.ScaleAdd(isum, dx[b] * Half(w), acc);
            mins += dx[b] * Half(w + 2) * msum;
        }
        return Vector256.Sum(acc) - mins;
    }
}

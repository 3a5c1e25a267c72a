using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q6_KDot
{
    /// <summary>
    /// The vector kernel, token by token. Codes are used unsigned (0..63, so code·q pairs fit int16) and the
    /// −32 offset is taken back through the bsums: Σ (code − 32)·q·s = Σ code·q·s − 32·Σ_g s_g·bsum_g.
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
        var low = Vector256.Create((byte)0x0F);
        var two = Vector256.Create((byte)0x03);
        var acc = Vector256<float>.Zero;
        float offsets = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256, bsums += 16)
        {
            sbyte* sc = (sbyte*)(w + 192);
            int corr = 0;
            for (int g = 0; g < 16; g++) corr += sc[g] * bsums[g];
            var isum = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                var qlA = Vector256.Load(w + 64 * h);
                var qlB = Vector256.Load(w + 64 * h + 32);
                var qh = Vector256.Load(w + 128 + 32 * h);
                var q1 = (qlA & low) | Vector256.ShiftLeft(qh & two, 4);
                var q2 = (qlB & low) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 2) & two, 4);
                var q3 = Vector256.ShiftRightLogical(qlA, 4) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 4) & two, 4);
                var q4 = Vector256.ShiftRightLogical(qlB, 4) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 6), 4);
                sbyte* qy = q + 128 * h;
                sbyte* s = sc + 8 * h;
                isum = TIsa.DotI16(isum, Avx2.MultiplyAddAdjacent(q1, Vector256.Load(qy)), Scales(s[0], s[1]));
                isum = TIsa.DotI16(isum, Avx2.MultiplyAddAdjacent(q2, Vector256.Load(qy + 32)), Scales(s[2], s[3]));
                isum = TIsa.DotI16(isum, Avx2.MultiplyAddAdjacent(q3, Vector256.Load(qy + 64)), Scales(s[4], s[5]));
                isum = TIsa.DotI16(isum, Avx2.MultiplyAddAdjacent(q4, Vector256.Load(qy + 96)), Scales(s[6], s[7]));
            }
            float d = dx[b] * Half(w + 208);
            acc = Vec.ScaleAdd(isum, d, acc);
            offsets += d * (32 * corr);
        }
        return Vector256.Sum(acc) - offsets;
    }

    /// <summary>int16 lanes 0..7 (the first 16 values of a 32-value run) take s0, lanes 8..15 take s1.</summary>
    private static Vector256<short> Scales(sbyte s0, sbyte s1) =>
        Vector256.Create(Vector128.Create((short)s0), Vector128.Create((short)s1));
}

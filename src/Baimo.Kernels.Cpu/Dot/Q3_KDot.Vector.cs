using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q3_KDot
{
    /// <summary>
    /// The vector kernel, token by token: codes taken unsigned (low + 4·high, 0..7) with the −4 offset
    /// returned through the bsums: Σ s_g·Σ (c − 4)·q = Σ s_g·Σ c·q − 4·Σ s_g·bsum_g.
    /// </summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 256;
        var three = Vector256.Create((byte)3);
        var one = Vector256.Create((byte)1);
        Span<short> scales = stackalloc short[16];
        for (int i = 0; i < count; i++)
        {
            int t = t0 + i;
            sbyte* q = a->Q + (nint)t * cols;
            float* dx = a->D + (nint)t * nb;
            short* bsums = a->BSums + (nint)t * (cols / 16);
            byte* wb = w;
            var acc = Vector256<float>.Zero;
            for (int b = 0; b < nb; b++, wb += BlockBytes, q += 256, bsums += 16)
            {
                int corr = 0;
                for (int g = 0; g < 16; g++)
                {
                    scales[g] = (short)(ScaleCode(wb + 96, g) - 32);
                    corr += scales[g] * bsums[g];
                }
                var hm = Vector256.Load(wb);
                var isum = Vector256<int>.Zero;
                for (int h = 0; h < 2; h++)
                {
                    var raw = Vector256.Load(wb + 32 + 32 * h);
                    for (int k = 0; k < 4; k++)
                    {
                        int g = 8 * h + 2 * k;
                        var codes = (Vector256.ShiftRightLogical(raw, 2 * k) & three)
                            | Vector256.ShiftLeft(Vector256.ShiftRightLogical(hm, 4 * h + k) & one, 2);
                        var p = Avx2.MultiplyAddAdjacent(codes, Vector256.Load(q + 128 * h + 32 * k));
                        isum = TIsa.DotI16(isum, p, Vector256.Create(Vector128.Create(scales[g]), Vector128.Create(scales[g + 1])));
                    }
                }
                isum -= Vector256.CreateScalar(4 * corr); // the offset, in one lane: the lanes are summed at the end
                acc = Vec.ScaleAdd(isum, Half(wb + 108) * dx[b], acc);
            }
            y[i * yStride] = Vector256.Sum(acc);
        }
    }
}

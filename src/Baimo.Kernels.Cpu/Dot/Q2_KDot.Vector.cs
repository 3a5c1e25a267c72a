using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q2_KDot
{
    /// <summary>
    /// The vector kernel, token by token: each 32-value run of 2-bit codes spans two 16-value groups, whose
    /// scales sit in the low and high eight int16 lanes; the mins go through the bsums.
    /// </summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 256;
        var three = Vector256.Create((byte)3);
        for (int i = 0; i < count; i++)
        {
            int t = t0 + i;
            sbyte* q = a->Q + (nint)t * cols;
            float* dx = a->D + (nint)t * nb;
            short* bsums = a->BSums + (nint)t * (cols / 16);
            byte* wb = w;
            var acc = Vector256<float>.Zero;
            float mins = 0f;
            for (int b = 0; b < nb; b++, wb += BlockBytes, q += 256, bsums += 16)
            {
                int msum = 0;
                for (int g = 0; g < 16; g++) msum += (wb[g] >> 4) * bsums[g];
                var isum = Vector256<int>.Zero;
                for (int h = 0; h < 2; h++)
                {
                    var raw = Vector256.Load(wb + 16 + 32 * h);
                    for (int k = 0; k < 4; k++)
                    {
                        int g = 8 * h + 2 * k;
                        var codes = Vector256.ShiftRightLogical(raw, 2 * k) & three;
                        var p = Avx2.MultiplyAddAdjacent(codes, Vector256.Load(q + 128 * h + 32 * k));
                        var s = Vector256.Create(Vector128.Create((short)(wb[g] & 0xF)), Vector128.Create((short)(wb[g + 1] & 0xF)));
                        isum = TIsa.DotI16(isum, p, s);
                    }
                }
                acc = Vec.ScaleAdd(isum, dx[b] * Half(wb + 80), acc);
                mins += dx[b] * Half(wb + 82) * msum;
            }
            y[i * yStride] = Vector256.Sum(acc) - mins;
        }
    }
}

using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_1Dot
{
    /// <summary>The vector kernel, token by token: unsigned nibbles meet the codes directly; the minimum goes through s.</summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 32;
        for (int i = 0; i < count; i++)
        {
            int t = t0 + i;
            sbyte* q = a->Q + (nint)t * cols;
            float* dx = a->D + (nint)t * nb;
            float* sx = a->S + (nint)t * nb;
            byte* wb = w;
            var acc = Vector256<float>.Zero;
            float mins = 0f;
            for (int b = 0; b < nb; b++, wb += BlockBytes)
            {
                var isum = TIsa.DotU8S8(Vector256<int>.Zero, Vec.Nibbles16(wb + 4), Vector256.Load(q + 32 * b));
                acc = Vec.ScaleAdd(isum, Half(wb) * dx[b], acc);
                mins += Half(wb + 2) * sx[b];
            }
            y[i * yStride] = Vector256.Sum(acc) + mins;
        }
    }
}

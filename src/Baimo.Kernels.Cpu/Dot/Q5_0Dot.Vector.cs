using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q5_0Dot
{
    /// <summary>The vector kernel, token by token: code − 16 = nibble | 0x10·bit, minus 16, as signed bytes.</summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 32;
        var five = Vector256.Create((byte)0x10);
        var sixteen = Vector256.Create((sbyte)16);
        for (int i = 0; i < count; i++)
        {
            int t = t0 + i;
            sbyte* q = a->Q + (nint)t * cols;
            float* dx = a->D + (nint)t * nb;
            byte* wb = w;
            var acc = Vector256<float>.Zero;
            for (int b = 0; b < nb; b++, wb += BlockBytes)
            {
                var x = (Vec.Nibbles16(wb + 6) | (Vec.BitsToBytes(*(uint*)(wb + 2)) & five)).AsSByte() - sixteen;
                var isum = Vec.DotS8S8<TIsa>(Vector256<int>.Zero, Avx2.Abs(x), x, Vector256.Load(q + 32 * b));
                acc = Vec.ScaleAdd(isum, Half(wb) * dx[b], acc);
            }
            y[i * yStride] = Vector256.Sum(acc);
        }
    }
}

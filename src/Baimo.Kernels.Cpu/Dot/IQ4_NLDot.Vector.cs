using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct IQ4_NLDot
{
    /// <summary>The 16 levels in both 128-bit lanes, for a byte shuffle that maps nibbles to levels.</summary>
    internal static Vector256<sbyte> LevelTable()
    {
        var l = Vector128.Create(IQ4Levels);
        return Vector256.Create(l, l);
    }

    /// <summary>The vector kernel, token by token: a byte shuffle turns nibbles into levels, then as Q8_0.</summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 32;
        var table = LevelTable();
        for (int i = 0; i < count; i++)
        {
            int t = t0 + i;
            sbyte* q = a->Q + (nint)t * cols;
            float* dx = a->D + (nint)t * nb;
            byte* wb = w;
            var acc = Vector256<float>.Zero;
            for (int b = 0; b < nb; b++, wb += BlockBytes)
            {
                var x = Avx2.Shuffle(table, Vec.Nibbles16(wb + 2).AsSByte());
                var isum = Vec.DotS8S8<TIsa>(Vector256<int>.Zero, Avx2.Abs(x), x, Vector256.Load(q + 32 * b));
                acc = Vec.ScaleAdd(isum, Half(wb) * dx[b], acc);
            }
            y[i * yStride] = Vector256.Sum(acc);
        }
    }
}

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct IQ4_XSDot
{
    /// <summary>
    /// The vector kernel, token by token: levels by byte shuffle, |level|·(q with the level's sign) in int16
    /// pairs (≤ 2·127·127), widened by the sub-block scale ls − 32.
    /// </summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 256;
        var table = IQ4_NLDot.LevelTable();
        for (int i = 0; i < count; i++)
        {
            int t = t0 + i;
            sbyte* q = a->Q + (nint)t * cols;
            float* dx = a->D + (nint)t * nb;
            byte* wb = w;
            var acc = Vector256<float>.Zero;
            for (int b = 0; b < nb; b++, wb += BlockBytes, q += 256)
            {
                int scalesH = *(ushort*)(wb + 2);
                var isum = Vector256<int>.Zero;
                for (int ib = 0; ib < 8; ib++)
                {
                    int ls = ((wb[4 + ib / 2] >> (4 * (ib % 2))) & 0xF) | (((scalesH >> (2 * ib)) & 3) << 4);
                    var x = Avx2.Shuffle(table, Vec.Nibbles16(wb + 8 + 16 * ib).AsSByte());
                    var p = Avx2.MultiplyAddAdjacent(Avx2.Abs(x), Avx2.Sign(Vector256.Load(q + 32 * ib), x));
                    isum = TIsa.DotI16(isum, p, Vector256.Create((short)(ls - 32)));
                }
                acc = Vec.ScaleAdd(isum, Half(wb) * dx[b], acc);
            }
            y[i * yStride] = Vector256.Sum(acc);
        }
    }
}

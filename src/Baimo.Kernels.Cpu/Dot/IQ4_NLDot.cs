using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// IQ4_NL × Q8_0. Block (18 bytes): fp16 d, qs[16] (nibbles placed as Q4_0); value = d·level[nibble]
/// with the 16 non-linear levels of <see cref="Blocks.IQ4Levels"/>.
/// </summary>
internal unsafe partial struct IQ4_NLDot : IRowDot
{
    public const int BlockBytes = 18;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 32;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        var levels = IQ4Levels;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 32)
        {
            byte* qs = w + 2;
            int isum = 0;
            for (int j = 0; j < 16; j++)
                isum += levels[qs[j] & 0xF] * q[j] + levels[qs[j] >> 4] * q[j + 16];
            sum += isum * (Half(w) * dx[b]);
        }
        return sum;
    }
}

using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// IQ4_XS × Q8_K. Super-block (136 bytes): fp16 d, uint16 scales_h (two high bits per 32-value sub-block),
/// scales_l[4] (low nibbles), qs[128] (eight IQ4_NL-style 16-byte runs); value = d·(ls − 32)·level[code].
/// </summary>
internal unsafe partial struct IQ4_XSDot : IRowDot
{
    public const int BlockBytes = 136;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 256;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        var levels = IQ4Levels;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256)
        {
            int scalesH = *(ushort*)(w + 2);
            byte* scalesL = w + 4, qs = w + 8;
            int isum = 0;
            for (int ib = 0; ib < 8; ib++)
            {
                int ls = ((scalesL[ib / 2] >> (4 * (ib % 2))) & 0xF) | (((scalesH >> (2 * ib)) & 3) << 4);
                byte* run = qs + 16 * ib;
                sbyte* qb = q + 32 * ib;
                int jsum = 0;
                for (int j = 0; j < 16; j++)
                    jsum += levels[run[j] & 0xF] * qb[j] + levels[run[j] >> 4] * qb[j + 16];
                isum += (ls - 32) * jsum;
            }
            sum += Half(w) * dx[b] * isum;
        }
        return sum;
    }
}

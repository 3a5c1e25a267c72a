using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q2_K × Q8_K. Super-block (84 bytes): scales[16] (per 16 values: low nibble scale, high nibble min),
/// qs[64], fp16 d, fp16 dmin; value = d·scale·code − dmin·min, where element e's 2-bit code is bits
/// 2·((e % 128) / 32) of qs[32·(e / 128) + e % 32]. Per super-block:
/// d_x·d·Σ_g scale_g·Σ code·q − d_x·dmin·Σ_g min_g·bsum_g.
/// </summary>
internal unsafe partial struct Q2_KDot : IRowDot
{
    public const int BlockBytes = 84;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 256;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        short* bsums = a->BSums + (nint)t * (a->Cols / 16);
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256, bsums += 16)
        {
            byte* scales = w, qs = w + 16;
            int isum = 0, msum = 0;
            for (int g = 0; g < 16; g++)
            {
                int gsum = 0;
                for (int k = 0; k < 16; k++)
                {
                    int e = 16 * g + k;
                    int code = (qs[32 * (e / 128) + e % 32] >> (2 * ((e % 128) / 32))) & 3;
                    gsum += code * q[e];
                }
                isum += (scales[g] & 0xF) * gsum;
                msum += (scales[g] >> 4) * bsums[g];
            }
            sum += dx[b] * Half(w + 80) * isum - dx[b] * Half(w + 82) * msum;
        }
        return sum;
    }
}

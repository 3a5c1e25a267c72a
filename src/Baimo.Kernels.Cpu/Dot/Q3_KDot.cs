using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q3_K × Q8_K. Super-block (110 bytes): hmask[32] (element e's third bit is bit e / 32 of hmask[e % 32]),
/// qs[64] (low two bits, placed as in Q2_K), scales[12] (sixteen 6-bit scales, offset 32), fp16 d;
/// value = d·(scale − 32)·(low + 4·high − 4). Per super-block: d·d_x·Σ_g (scale_g − 32)·Σ code·q.
/// </summary>
internal unsafe partial struct Q3_KDot : IRowDot
{
    public const int BlockBytes = 110;

    /// <summary>
    /// The 6-bit scale code of group g: low nibble from byte g (g &lt; 8) or the high nibble of byte g − 8,
    /// top two bits from byte 8 + g % 4 at bit 2·(g / 4).
    /// </summary>
    public static int ScaleCode(byte* s, int g) =>
        (g < 8 ? s[g] & 0xF : s[g - 8] >> 4) | (((s[8 + g % 4] >> (2 * (g / 4))) & 3) << 4);

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 256;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256)
        {
            byte* hmask = w, qs = w + 32, scales = w + 96;
            int isum = 0;
            for (int g = 0; g < 16; g++)
            {
                int gsum = 0;
                for (int k = 0; k < 16; k++)
                {
                    int e = 16 * g + k;
                    int low = (qs[32 * (e / 128) + e % 32] >> (2 * ((e % 128) / 32))) & 3;
                    int high = (hmask[e % 32] >> (e / 32)) & 1;
                    gsum += (low + 4 * high - 4) * q[e];
                }
                isum += (ScaleCode(scales, g) - 32) * gsum;
            }
            sum += Half(w + 108) * dx[b] * isum;
        }
        return sum;
    }
}

using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q6_K × Q8_K. Super-block (210 bytes): ql[128] (low nibbles), qh[64] (high two bits), int8 scales[16]
/// (per 16 values), fp16 d; value = d·scale·(code − 32). For half h and l &lt; 32, elements 128h + l, +32,
/// +64, +96 take the low nibble of ql[64h + l], of ql[64h + 32 + l], the high nibble of ql[64h + l], of
/// ql[64h + 32 + l], and bits 0-1, 2-3, 4-5, 6-7 of qh[32h + l].
/// </summary>
internal unsafe partial struct Q6_KDot : IRowDot
{
    public const int BlockBytes = 210;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 256;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256)
        {
            byte* ql = w, qh = w + 128;
            sbyte* scales = (sbyte*)(w + 192);
            int isum = 0;
            for (int g = 0; g < 16; g++)
            {
                int gsum = 0;
                for (int k = 0; k < 16; k++)
                {
                    int e = 16 * g + k;
                    int h = e / 128, r = e % 128, quarter = r / 32, l = r % 32;
                    int nibble = quarter switch
                    {
                        0 => ql[64 * h + l] & 0xF,
                        1 => ql[64 * h + 32 + l] & 0xF,
                        2 => ql[64 * h + l] >> 4,
                        _ => ql[64 * h + 32 + l] >> 4,
                    };
                    int code = nibble | (((qh[32 * h + l] >> (2 * quarter)) & 3) << 4);
                    gsum += (code - 32) * q[e];
                }
                isum += scales[g] * gsum;
            }
            sum += Half(w + 208) * dx[b] * isum;
        }
        return sum;
    }
}

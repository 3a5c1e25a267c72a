using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q5_K × Q8_K. Super-block (176 bytes): fp16 d, fp16 dmin, scales[12] (as Q4_K), qh[32], qs[128] (low
/// nibbles as Q4_K); the fifth bit of element 64c + l is bit 2c of qh[l], of 64c + 32 + l bit 2c + 1.
/// value = d·scale_j·code − dmin·min_j.
/// </summary>
internal unsafe partial struct Q5_KDot : IRowDot
{
    public const int BlockBytes = 176;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 256;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        short* bsums = a->BSums + (nint)t * (a->Cols / 16);
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256, bsums += 16)
        {
            byte* qh = w + 16, qs = w + 48;
            int isum = 0, msum = 0;
            for (int j = 0; j < 8; j++)
            {
                ScaleMinK4(j, w + 4, out int sc, out int m);
                int shift = 4 * (j & 1);
                byte* src = qs + 32 * (j / 2);
                int jsum = 0;
                for (int l = 0; l < 32; l++)
                {
                    int code = ((src[l] >> shift) & 0xF) | (((qh[l] >> j) & 1) << 4);
                    jsum += code * q[32 * j + l];
                }
                isum += sc * jsum;
                msum += m * (bsums[2 * j] + bsums[2 * j + 1]);
            }
            sum += dx[b] * Half(w) * isum - dx[b] * Half(w + 2) * msum;
        }
        return sum;
    }
}

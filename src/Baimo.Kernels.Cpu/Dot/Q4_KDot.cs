using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q4_K × Q8_K. Super-block (144 bytes): fp16 d, fp16 dmin, scales[12] (eight 6-bit scales and mins),
/// qs[128]: byte qs[32c + l] holds element 64c + l (low nibble) and 64c + 32 + l (high nibble);
/// value = d·scale_j·code − dmin·min_j for the 32-value sub-block j. Per super-block:
/// d_x·d·Σ_j scale_j·Σ code·q − d_x·dmin·Σ_j min_j·(bsum_2j + bsum_2j+1).
/// </summary>
internal unsafe partial struct Q4_KDot : IRowDot
{
    public const int BlockBytes = 144;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 256;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        short* bsums = a->BSums + (nint)t * (a->Cols / 16);
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 256, bsums += 16)
        {
            byte* qs = w + 16;
            int isum = 0, msum = 0;
            for (int j = 0; j < 8; j++)
            {
                ScaleMinK4(j, w + 4, out int sc, out int m);
                int shift = 4 * (j & 1);
                byte* src = qs + 32 * (j / 2);
                int jsum = 0;
                for (int l = 0; l < 32; l++) jsum += ((src[l] >> shift) & 0xF) * q[32 * j + l];
                isum += sc * jsum;
                msum += m * (bsums[2 * j] + bsums[2 * j + 1]);
            }
            sum += dx[b] * Half(w) * isum - dx[b] * Half(w + 2) * msum;
        }
        return sum;
    }
}

using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q5_0 × Q8_0. Block (22 bytes): fp16 d, qh (32 bits: the fifth bit of element j is bit j), qs[16]
/// (low nibbles as Q4_0); value = d·(code − 16).
/// </summary>
internal unsafe partial struct Q5_0Dot : IRowDot
{
    public const int BlockBytes = 22;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 32;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 32)
        {
            uint qh = *(uint*)(w + 2);
            byte* qs = w + 6;
            int isum = 0;
            for (int j = 0; j < 16; j++)
            {
                int lo = (qs[j] & 0xF) | (int)(((qh >> j) & 1) << 4);
                int hi = (qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
                isum += (lo - 16) * q[j] + (hi - 16) * q[j + 16];
            }
            sum += isum * (Half(w) * dx[b]);
        }
        return sum;
    }
}

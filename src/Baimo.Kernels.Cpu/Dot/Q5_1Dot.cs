using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q5_1 × Q8_1. Block (24 bytes): fp16 d, fp16 m, qh (32 bits, as Q5_0), qs[16]; value = d·code + m.
/// Per block: d_w·d_x·Σ code·q + m·s_x.
/// </summary>
internal unsafe partial struct Q5_1Dot : IRowDot
{
    public const int BlockBytes = 24;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 32;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        float* sx = a->S + (nint)t * nb;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 32)
        {
            uint qh = *(uint*)(w + 4);
            byte* qs = w + 8;
            int isum = 0;
            for (int j = 0; j < 16; j++)
            {
                int lo = (qs[j] & 0xF) | (int)(((qh >> j) & 1) << 4);
                int hi = (qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
                isum += lo * q[j] + hi * q[j + 16];
            }
            sum += Half(w) * dx[b] * isum + Half(w + 2) * sx[b];
        }
        return sum;
    }
}

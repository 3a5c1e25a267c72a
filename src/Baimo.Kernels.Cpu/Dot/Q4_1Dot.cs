using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q4_1 × Q8_1. Block (20 bytes): fp16 d, fp16 m, qs[16] (nibbles as Q4_0); value = d·nibble + m.
/// Per block: d_w·d_x·Σ nibble·code + m·s_x, where s_x = fp16(d_x·Σcode) comes with the activations.
/// </summary>
internal unsafe partial struct Q4_1Dot : IRowDot
{
    public const int BlockBytes = 20;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 32;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        float* sx = a->S + (nint)t * nb;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 32)
        {
            byte* qs = w + 4;
            int isum = 0;
            for (int j = 0; j < 16; j++)
                isum += (qs[j] & 0xF) * q[j] + (qs[j] >> 4) * q[j + 16];
            sum += Half(w) * dx[b] * isum + Half(w + 2) * sx[b];
        }
        return sum;
    }
}

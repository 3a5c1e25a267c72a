using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Q4_0 × Q8_0. Block (18 bytes): fp16 d, qs[16]; element j is the low nibble of qs[j], element j + 16 the
/// high nibble; value = d·(nibble − 8). Per block: d_w·d_x·Σ (nibble − 8)·code.
/// </summary>
internal unsafe partial struct Q4_0Dot : IRowDot
{
    public const int BlockBytes = 18;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 32;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 32)
        {
            byte* qs = w + 2;
            int isum = 0;
            for (int j = 0; j < 16; j++)
                isum += ((qs[j] & 0xF) - 8) * q[j] + ((qs[j] >> 4) - 8) * q[j + 16];
            sum += isum * (Half(w) * dx[b]);
        }
        return sum;
    }
}

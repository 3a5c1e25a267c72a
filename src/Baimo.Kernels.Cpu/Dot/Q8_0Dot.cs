using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

/// <summary>Q8_0 × Q8_0. Block (34 bytes): fp16 d, int8 qs[32]; value = d·code.</summary>
internal unsafe partial struct Q8_0Dot : IRowDot
{
    public const int BlockBytes = 34;

    public static float Dot(byte* w, Activations* a, int t)
    {
        int nb = a->Cols / 32;
        sbyte* q = a->Q + (nint)t * a->Cols;
        float* dx = a->D + (nint)t * nb;
        float sum = 0f;
        for (int b = 0; b < nb; b++, w += BlockBytes, q += 32)
        {
            sbyte* qs = (sbyte*)(w + 2);
            int isum = 0;
            for (int j = 0; j < 32; j++) isum += qs[j] * q[j];
            sum += isum * (Half(w) * dx[b]);
        }
        return sum;
    }
}

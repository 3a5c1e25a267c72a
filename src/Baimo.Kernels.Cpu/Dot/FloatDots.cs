using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

// The unquantized types. Activations are floats (for F16/BF16 already rounded to that type, so every
// product is exact in fp32, as in ggml's vec_dot_f16/bf16); the scalar truth sums in double.

/// <summary>F32 weights: 4 bytes per value.</summary>
internal unsafe partial struct F32Dot : IRowDot
{
    public static float Dot(byte* w, Activations* a, int t)
    {
        float* x = a->F + (nint)t * a->Cols;
        float* wf = (float*)w;
        double sum = 0;
        for (int i = 0; i < a->Cols; i++) sum += (double)wf[i] * x[i];
        return (float)sum;
    }
}

/// <summary>F16 weights: IEEE half, 2 bytes per value.</summary>
internal unsafe partial struct F16Dot : IRowDot
{
    public static float Dot(byte* w, Activations* a, int t)
    {
        float* x = a->F + (nint)t * a->Cols;
        ushort* h = (ushort*)w;
        double sum = 0;
        for (int i = 0; i < a->Cols; i++) sum += (double)(Fp16.ToSingle(h[i]) * x[i]);
        return (float)sum;
    }
}

/// <summary>BF16 weights: the top half of an fp32, 2 bytes per value.</summary>
internal unsafe partial struct BF16Dot : IRowDot
{
    public static float Dot(byte* w, Activations* a, int t)
    {
        float* x = a->F + (nint)t * a->Cols;
        ushort* h = (ushort*)w;
        double sum = 0;
        for (int i = 0; i < a->Cols; i++) sum += (double)(BitConverter.UInt32BitsToSingle((uint)h[i] << 16) * x[i]);
        return (float)sum;
    }
}

using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Activations converted to a weight type's activation format (ggml's vec_dot_type), laid out for the dot
/// products rather than in ggml's block format: codes, scales and sums each in their own contiguous array,
/// so a kernel reads a token's scales as plain floats. The numbers are exactly those of ggml's blocks
/// (the tests decode <see cref="WeightCodec.QuantizeActivations"/> output and compare).
/// </summary>
internal unsafe struct Activations
{
    /// <summary>F32, F16, BF16, Q8_0, Q8_1 or Q8_K.</summary>
    public WeightType Format;
    public int Tokens;
    public int Cols;

    /// <summary>[Tokens][Cols] int8 codes (Q8_0, Q8_1, Q8_K).</summary>
    public sbyte* Q;

    /// <summary>[Tokens][Cols / 32] (Q8_0, Q8_1: the fp16 scale as a float) or [Tokens][Cols / 256] (Q8_K: fp32 d).</summary>
    public float* D;

    /// <summary>[Tokens][Cols / 32] Q8_1 only: the fp16 s = d·Σcode, as a float.</summary>
    public float* S;

    /// <summary>[Tokens][Cols / 32] Q8_0 only: d·Σcode of each block in fp32 (the packed kernels take an offset back through it).</summary>
    public float* DS;

    /// <summary>[Tokens][Cols / 16] Q8_K only: sums of each run of 16 codes.</summary>
    public short* BSums;

    /// <summary>[Tokens][Cols] F32, F16, BF16: the values, already rounded to fp16/bf16 for those formats.</summary>
    public float* F;

    /// <summary>
    /// [Tokens][Cols] F16 only, when the kernels ask for it (<see cref="ActivationBuffer.Prepare"/>): <see cref="F"/>·2^112,
    /// the partner of fp16 weights widened without their rescaling multiply.
    /// </summary>
    public float* FS;

    /// <summary>Block size of the format's scales (32, 256, or 1 for the float formats).</summary>
    public static int BlockSizeOf(WeightType format) => format switch
    {
        WeightType.Q8_0 or WeightType.Q8_1 => 32,
        WeightType.Q8_K => 256,
        _ => 1,
    };
}

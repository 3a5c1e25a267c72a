using System.Runtime.CompilerServices;

namespace Baimo.Tensors;

/// <summary>
/// IEEE binary16 ("half", ggml's <c>ggml_fp16_t</c>) as raw bits. Conversions are exact in the direction
/// fp16 → fp32 and round to nearest, ties to even, in the direction fp32 → fp16, which is what ggml's
/// portable converter and the x86 F16C instructions both do; a NaN becomes the canonical quiet NaN
/// (sign kept, payload dropped) as ggml's portable converter makes it.
/// </summary>
public static class Fp16
{
    // 65536 entries (256 KiB): dequantization reads a scale per block and an element per F16 weight, so a
    // table lookup beats re-deriving the float from the bits every time.
    private static readonly float[] ToSingleTable = BuildTable();

    /// <summary>The float32 value of fp16 bits (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => ToSingleTable[bits];

    /// <summary>fp32 → fp16 bits, round to nearest even; overflow gives ±infinity, NaN gives ±0x7E00.</summary>
    public static ushort FromSingle(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        uint sign = (u >> 16) & 0x8000u;
        uint a = u & 0x7FFFFFFFu;
        if (a > 0x7F800000u) return (ushort)(sign | 0x7E00u);      // NaN
        if (a >= 0x477FF000u) return (ushort)(sign | 0x7C00u);     // |x| >= 65520 rounds to infinity
        if (a < 0x38800000u)
        {
            // Below the smallest normal half (2^-14): the result is a multiple of 2^-24. Adding 0.5, whose
            // ulp is exactly 2^-24, lets the FPU do the round-half-even; what is left above 0.5 is the count.
            float r = BitConverter.UInt32BitsToSingle(a) + 0.5f;
            return (ushort)(sign | (BitConverter.SingleToUInt32Bits(r) - 0x3F000000u));
        }
        // Normal: rebias the exponent (127 → 15) and round the 13 dropped mantissa bits to nearest even;
        // a carry out of the mantissa correctly bumps the exponent.
        uint odd = (a >> 13) & 1u;
        return (ushort)(sign | ((a + 0xC8000FFFu + odd) >> 13));
    }

    /// <summary>Converts fp16 bits to floats (dst.Length == src.Length).</summary>
    public static void ToSingle(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        if (dst.Length != src.Length) throw new ArgumentException($"destination holds {dst.Length} floats, source {src.Length} halves");
        var table = ToSingleTable;
        for (int i = 0; i < src.Length; i++) dst[i] = table[src[i]];
    }

    /// <summary>Converts floats to fp16 bits (dst.Length == src.Length).</summary>
    public static void FromSingle(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        if (dst.Length != src.Length) throw new ArgumentException($"destination holds {dst.Length} halves, source {src.Length} floats");
        for (int i = 0; i < src.Length; i++) dst[i] = FromSingle(src[i]);
    }

    private static float[] BuildTable()
    {
        var t = new float[65536];
        for (int i = 0; i < t.Length; i++) t[i] = (float)BitConverter.UInt16BitsToHalf((ushort)i);
        return t;
    }
}

/// <summary>
/// bfloat16 (the top half of a float32) as raw bits, converted the way ggml's reference does: round to
/// nearest even on the dropped 16 bits, a NaN is kept NaN and forced quiet; subnormals are not flushed.
/// </summary>
public static class Bf16
{
    /// <summary>The float32 value of bf16 bits (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>fp32 → bf16 bits, round to nearest even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if ((u & 0x7FFFFFFFu) > 0x7F800000u) return (ushort)((u >> 16) | 64u); // NaN: keep it NaN, make it quiet
        return (ushort)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
    }
}

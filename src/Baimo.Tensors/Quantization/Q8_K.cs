using System.Buffers.Binary;
using System.Diagnostics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q8_K: super-blocks of 256 values, 292 bytes: fp32 d, 256 int8 codes, 16 int16 bsums (sum of each run of
/// 16 codes, which the k-quant dot products use to apply their mins); value = code·d. The activation format
/// of the CPU matmul for Q2_K…Q6_K and IQ4_XS weights.
/// </summary>
internal static class Q8_K
{
    public const int BlockSize = 256, BlockBytes = 292;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][292], dst [blocks·256]
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = BinaryPrimitives.ReadSingleLittleEndian(b);
            for (int j = 0; j < BlockSize; j++) y[j] = d * (sbyte)b[4 + j];
        }
    }

    /// <summary>
    /// ggml's quantize_row_q8_K_ref, which the x86 build also uses for activations: max = the signed value of
    /// largest magnitude (first one wins), iscale = −127/max, code = min(127, round_half_even(iscale·x)),
    /// d = 1/iscale stored as fp32, plus the bsums.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·256], dst [blocks][292]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            float max = 0f, amax = 0f;
            for (int j = 0; j < BlockSize; j++)
            {
                float ax = MathF.Abs(x[j]);
                if (ax > amax) { amax = ax; max = x[j]; }
            }
            if (amax == 0f)
            {
                b.Clear(); // d = 0, codes 0; ggml leaves bsums untouched, zero is the only sensible value
                continue;
            }
            float iscale = -127f / max;
            var qs = b.Slice(4, BlockSize);
            for (int j = 0; j < BlockSize; j++)
                qs[j] = (byte)(sbyte)Math.Min(127, NearestInt(iscale * x[j]));
            for (int g = 0; g < BlockSize / 16; g++)
            {
                int sum = 0;
                for (int k = 0; k < 16; k++) sum += (sbyte)qs[g * 16 + k];
                BinaryPrimitives.WriteInt16LittleEndian(b.Slice(4 + BlockSize + 2 * g, 2), (short)sum);
            }
            BinaryPrimitives.WriteSingleLittleEndian(b, 1f / iscale);
        }
    }
}

using System.Diagnostics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q8_1: blocks of 32 values, 36 bytes: fp16 d, fp16 s (= d·Σcode, which lets Q4_1/Q5_1 dot products add
/// their block minimum without a second pass), 32 int8 codes; value = code·d. An activation format: the
/// CPU matmul of Q4_1/Q5_1 weights converts its float input to it. ggml has no to_float for it; the
/// dequantization here is the obvious code·d.
/// </summary>
internal static class Q8_1
{
    public const int BlockSize = 32, BlockBytes = 36;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][36], dst [blocks·32]
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, 0);
            for (int j = 0; j < BlockSize; j++) y[j] = (sbyte)b[4 + j] * d;
        }
    }

    /// <summary>ggml's quantize_row_q8_1_ref: like Q8_0's reference (half away from zero) plus s = fp16(Σcode·d).</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][36]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            float amax = 0f;
            for (int j = 0; j < BlockSize; j++)
            {
                float a = MathF.Abs(x[j]);
                amax = amax > a ? amax : a;
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            WriteHalf(b, 0, d);
            int sum = 0;
            for (int j = 0; j < BlockSize; j++)
            {
                sbyte q = (sbyte)TruncateX86(MathF.Round(x[j] * id, MidpointRounding.AwayFromZero));
                b[4 + j] = (byte)q;
                sum += q;
            }
            WriteHalf(b, 2, sum * d);
        }
    }

    /// <summary>The x86 activation conversion: Q8_0's (round half to even, scale 127/amax) plus s = fp16(d·Σcode).</summary>
    public static void QuantizeActivations(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][36]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        for (int i = 0; i < nb; i++)
        {
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            var (d, sum) = Q8_0.QuantizeActivationBlock(src.Slice(i * BlockSize, BlockSize), b, 0, 4);
            WriteHalf(b, 2, d * sum);
        }
    }
}

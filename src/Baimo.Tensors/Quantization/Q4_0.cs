using System.Diagnostics;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q4_0: blocks of 32 values, 18 bytes: fp16 d, then 16 bytes of 4-bit codes (byte j holds value j in its
/// low nibble and value j+16 in its high nibble); value = (code − 8)·d.
/// </summary>
internal static class Q4_0
{
    public const int BlockSize = 32, BlockBytes = 18;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][18], dst [blocks·32]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        var eight = Vector256.Create((sbyte)8);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            float d = ReadHalf(b, 0);
            Simd.Scale32(Simd.Nibbles(b.Slice(2, 16)).AsSByte() - eight, d, d, dst.Slice(i * BlockSize, BlockSize));
        }
    }

    internal static void DequantizeScalar(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, 0);
            var qs = b.Slice(2, 16);
            for (int j = 0; j < 16; j++)
            {
                y[j] = ((qs[j] & 0x0F) - 8) * d;
                y[j + 16] = ((qs[j] >> 4) - 8) * d;
            }
        }
    }

    /// <summary>ggml's quantize_row_q4_0_ref: d = (signed value of largest magnitude)/−8, codes truncate x/d + 8.5.</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][18]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            float amax = 0f, max = 0f;
            for (int j = 0; j < BlockSize; j++)
            {
                float v = x[j];
                if (amax < MathF.Abs(v)) { amax = MathF.Abs(v); max = v; }
            }
            // Dividing by −8 makes the extreme value map to code 0 exactly, leaving 15 codes for the other sign.
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            WriteHalf(b, 0, d);
            for (int j = 0; j < 16; j++)
            {
                byte lo = (byte)Math.Min(15, (int)(sbyte)TruncateX86(x[j] * id + 8.5f));
                byte hi = (byte)Math.Min(15, (int)(sbyte)TruncateX86(x[j + 16] * id + 8.5f));
                b[2 + j] = (byte)(lo | (hi << 4));
            }
        }
    }
}

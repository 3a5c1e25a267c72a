using System.Diagnostics;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q4_1: blocks of 32 values, 20 bytes: fp16 d, fp16 m (the block minimum), 16 bytes of 4-bit codes
/// (low nibble value j, high nibble value j+16); value = code·d + m.
/// </summary>
internal static class Q4_1
{
    public const int BlockSize = 32, BlockBytes = 20;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][20], dst [blocks·32]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            float d = ReadHalf(b, 0), m = ReadHalf(b, 2);
            Simd.ScaleAdd32(Simd.Nibbles(b.Slice(4, 16)).AsSByte(), d, m, dst.Slice(i * BlockSize, BlockSize));
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
            float d = ReadHalf(b, 0), m = ReadHalf(b, 2);
            var qs = b.Slice(4, 16);
            for (int j = 0; j < 16; j++)
            {
                y[j] = (qs[j] & 0x0F) * d + m;
                y[j + 16] = (qs[j] >> 4) * d + m;
            }
        }
    }

    /// <summary>ggml's quantize_row_q4_1_ref: d = (max − min)/15, codes truncate (x − min)/d + 0.5.</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][20]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            float min = float.MaxValue, max = -float.MaxValue;
            for (int j = 0; j < BlockSize; j++)
            {
                float v = x[j];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            float d = (max - min) / 15f;
            float id = d != 0f ? 1f / d : 0f;
            WriteHalf(b, 0, d);
            WriteHalf(b, 2, min);
            for (int j = 0; j < 16; j++)
            {
                byte lo = (byte)Math.Min(15, (int)(sbyte)TruncateX86((x[j] - min) * id + 0.5f));
                byte hi = (byte)Math.Min(15, (int)(sbyte)TruncateX86((x[j + 16] - min) * id + 0.5f));
                b[4 + j] = (byte)(lo | (hi << 4));
            }
        }
    }
}

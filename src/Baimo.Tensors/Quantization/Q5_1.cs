using System.Buffers.Binary;
using System.Diagnostics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q5_1: blocks of 32 values, 24 bytes: fp16 d, fp16 m, uint32 qh (fifth bits), 16 bytes of low nibbles;
/// value = code·d + m.
/// </summary>
internal static class Q5_1
{
    public const int BlockSize = 32, BlockBytes = 24;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][24], dst [blocks·32]
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, 0), m = ReadHalf(b, 2);
            uint qh = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(4, 4));
            var qs = b.Slice(8, 16);
            for (int j = 0; j < 16; j++)
            {
                int h0 = (int)((qh >> j) << 4) & 0x10;
                int h1 = (int)(qh >> (j + 12)) & 0x10;
                y[j] = ((qs[j] & 0x0F) | h0) * d + m;
                y[j + 16] = ((qs[j] >> 4) | h1) * d + m;
            }
        }
    }

    /// <summary>ggml's quantize_row_q5_1_ref: d = (max − min)/31, codes truncate (x − min)/d + 0.5.</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][24]
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
            float d = (max - min) / 31f;
            float id = d != 0f ? 1f / d : 0f;
            WriteHalf(b, 0, d);
            WriteHalf(b, 2, min);
            uint qh = 0;
            for (int j = 0; j < 16; j++)
            {
                // No clamp here (unlike Q4_1): ggml relies on (max − min)/d + 0.5 staying below 32.
                byte x0 = (byte)TruncateX86((x[j] - min) * id + 0.5f);
                byte x1 = (byte)TruncateX86((x[j + 16] - min) * id + 0.5f);
                b[8 + j] = (byte)((x0 & 0x0F) | ((x1 & 0x0F) << 4));
                qh |= (uint)((x0 & 0x10) >> 4) << j;
                qh |= (uint)((x1 & 0x10) >> 4) << (j + 16);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4, 4), qh);
        }
    }
}

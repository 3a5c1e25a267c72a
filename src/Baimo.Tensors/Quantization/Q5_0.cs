using System.Buffers.Binary;
using System.Diagnostics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q5_0: blocks of 32 values, 22 bytes: fp16 d, uint32 qh (bit j = fifth bit of value j), 16 bytes of low
/// nibbles (low nibble value j, high nibble value j+16); value = (code − 16)·d.
/// </summary>
internal static class Q5_0
{
    public const int BlockSize = 32, BlockBytes = 22;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][22], dst [blocks·32]
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, 0);
            uint qh = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(2, 4));
            var qs = b.Slice(6, 16);
            for (int j = 0; j < 16; j++)
            {
                int h0 = (int)((qh >> j) << 4) & 0x10;
                int h1 = (int)(qh >> (j + 12)) & 0x10;
                y[j] = (((qs[j] & 0x0F) | h0) - 16) * d;
                y[j + 16] = (((qs[j] >> 4) | h1) - 16) * d;
            }
        }
    }

    /// <summary>ggml's quantize_row_q5_0_ref: d = (signed value of largest magnitude)/−16, codes truncate x/d + 16.5.</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][22]
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
            float d = max / -16f;
            float id = d != 0f ? 1f / d : 0f;
            WriteHalf(b, 0, d);
            uint qh = 0;
            for (int j = 0; j < 16; j++)
            {
                byte x0 = (byte)Math.Min(31, (int)(sbyte)TruncateX86(x[j] * id + 16.5f));
                byte x1 = (byte)Math.Min(31, (int)(sbyte)TruncateX86(x[j + 16] * id + 16.5f));
                b[6 + j] = (byte)((x0 & 0x0F) | ((x1 & 0x0F) << 4));
                qh |= (uint)((x0 & 0x10) >> 4) << j;
                qh |= (uint)((x1 & 0x10) >> 4) << (j + 16);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(2, 4), qh);
        }
    }
}

using System.Diagnostics;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q4_K: super-blocks of 256 values, 144 bytes: fp16 d, fp16 dmin, scales[12] (eight 6-bit scale and min
/// codes, see <see cref="QuantMath.GetScaleMinK4"/>), qs[128]; value = d·scale·code − dmin·min. Byte
/// qs[32·c + l] holds element 64·c + l in its low nibble and element 64·c + 32 + l in its high nibble.
/// </summary>
internal static class Q4_K
{
    public const int BlockSize = 256, BlockBytes = 144;
    private const int DAt = 0, DminAt = 2, ScalesAt = 4, QsAt = 16;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][144], dst [blocks·256]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        var mask = Vector256.Create((byte)0x0F);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, DAt), dmin = ReadHalf(b, DminAt);
            var scales = b.Slice(ScalesAt, 12);
            for (int c = 0; c < 4; c++)
            {
                GetScaleMinK4(2 * c, scales, out int sc, out int m);
                float d1 = d * sc, m1 = dmin * m;
                GetScaleMinK4(2 * c + 1, scales, out sc, out m);
                float d2 = d * sc, m2 = dmin * m;
                var q = Vector256.Create(b.Slice(QsAt + 32 * c, 32));
                Simd.ScaleAdd32((q & mask).AsSByte(), d1, -m1, y.Slice(64 * c, 32));
                Simd.ScaleAdd32(Vector256.ShiftRightLogical(q, 4).AsSByte(), d2, -m2, y.Slice(64 * c + 32, 32));
            }
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
            float d = ReadHalf(b, DAt), dmin = ReadHalf(b, DminAt);
            var scales = b.Slice(ScalesAt, 12);
            for (int c = 0; c < 4; c++) // 64-value chunks = two 32-value sub-blocks
            {
                GetScaleMinK4(2 * c, scales, out int sc, out int m);
                float d1 = d * sc, m1 = dmin * m;
                GetScaleMinK4(2 * c + 1, scales, out sc, out m);
                float d2 = d * sc, m2 = dmin * m;
                var q = b.Slice(QsAt + 32 * c, 32);
                var y1 = y.Slice(64 * c, 32);
                var y2 = y.Slice(64 * c + 32, 32);
                for (int l = 0; l < 32; l++) y1[l] = d1 * (q[l] & 0xF) - m1;
                for (int l = 0; l < 32; l++) y2[l] = d2 * (q[l] >> 4) - m2;
            }
        }
    }

    /// <summary>
    /// ggml's quantize_row_q4_K_ref: per 32-value sub-block make_qkx2_quants (nmax 15, weights
    /// rms(x) + |x|, squared error), scales and mins quantized to 6 bits against the super-block maxima,
    /// codes recomputed with the rounded values.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·256], dst [blocks][144]
    {
        Debug.Assert(dst.Length == src.Length / BlockSize * BlockBytes);
        Span<byte> codes = stackalloc byte[BlockSize];
        KQuant4Or5.QuantizeSuperBlocks(src, dst, BlockBytes, nmax: 15, rmin: -1f, rdelta: 0.1f, nstep: 20, codes,
            static (codes, b) =>
            {
                for (int c = 0; c < 4; c++)
                    for (int l = 0; l < 32; l++)
                        b[QsAt + 32 * c + l] = (byte)(codes[64 * c + l] | (codes[64 * c + 32 + l] << 4));
            });
    }
}

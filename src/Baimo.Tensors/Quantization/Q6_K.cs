using System.Diagnostics;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q6_K: super-blocks of 256 values, 210 bytes: ql[128] (low nibbles), qh[64] (high two bits), int8
/// scales[16] (one per 16 values), fp16 d; value = d·scale·(code − 32). For half h (128 values) and
/// l &lt; 32: elements 128h + l, +32, +64, +96 take the low nibble of ql[64h + l], the low nibble of
/// ql[64h + 32 + l], the high nibble of ql[64h + l], the high nibble of ql[64h + 32 + l], and bits 0-1, 2-3,
/// 4-5, 6-7 of qh[32h + l].
/// </summary>
internal static class Q6_K
{
    public const int BlockSize = 256, BlockBytes = 210;
    private const int QlAt = 0, QhAt = 128, ScalesAt = 192, DAt = 208;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][210], dst [blocks·256]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        var low = Vector256.Create((byte)0x0F);
        var two = Vector256.Create((byte)0x03);
        var bias = Vector256.Create((sbyte)32);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, DAt);
            for (int h = 0; h < 2; h++)
            {
                var qlA = Vector256.Create(b.Slice(QlAt + 64 * h, 32));      // l = 0..31
                var qlB = Vector256.Create(b.Slice(QlAt + 64 * h + 32, 32)); // l + 32
                var qh = Vector256.Create(b.Slice(QhAt + 32 * h, 32));
                var q1 = (qlA & low) | Vector256.ShiftLeft(qh & two, 4);
                var q2 = (qlB & low) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 2) & two, 4);
                var q3 = Vector256.ShiftRightLogical(qlA, 4) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 4) & two, 4);
                var q4 = Vector256.ShiftRightLogical(qlB, 4) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 6), 4);
                var sc = b.Slice(ScalesAt + 8 * h, 8);
                var yh = y.Slice(128 * h, 128);
                // (d·scale)·q as in the scalar code; values l < 16 and l ≥ 16 use consecutive scales.
                Simd.Scale32(q1.AsSByte() - bias, d * (sbyte)sc[0], d * (sbyte)sc[1], yh);
                Simd.Scale32(q2.AsSByte() - bias, d * (sbyte)sc[2], d * (sbyte)sc[3], yh[32..]);
                Simd.Scale32(q3.AsSByte() - bias, d * (sbyte)sc[4], d * (sbyte)sc[5], yh[64..]);
                Simd.Scale32(q4.AsSByte() - bias, d * (sbyte)sc[6], d * (sbyte)sc[7], yh[96..]);
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
            float d = ReadHalf(b, DAt);
            for (int h = 0; h < 2; h++)
            {
                var ql = b.Slice(QlAt + 64 * h, 64);
                var qh = b.Slice(QhAt + 32 * h, 32);
                var sc = b.Slice(ScalesAt + 8 * h, 8);
                var yh = y.Slice(128 * h, 128);
                for (int l = 0; l < 32; l++)
                {
                    int s = l / 16;
                    int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                    int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                    int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                    int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                    yh[l] = d * (sbyte)sc[s] * q1;
                    yh[l + 32] = d * (sbyte)sc[s + 2] * q2;
                    yh[l + 64] = d * (sbyte)sc[s + 4] * q3;
                    yh[l + 96] = d * (sbyte)sc[s + 6] * q4;
                }
            }
        }
    }

    /// <summary>
    /// ggml's quantize_row_q6_K_ref: per 16-value group make_qx_quants (nmax 32, x²-weighted), group scales
    /// quantized to int8 against the one of largest magnitude (→ −128), codes recomputed with the rounded
    /// scales. An all-zero super-block is stored as zeros.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·256], dst [blocks][210]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        Span<sbyte> codes = stackalloc sbyte[BlockSize];
        Span<float> scales = stackalloc float[16]; // [group]
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            float maxScale = 0f, maxAbsScale = 0f;
            for (int g = 0; g < 16; g++)
            {
                float scale = KQuantSearch.MakeQxQuants(x.Slice(16 * g, 16), 32, codes.Slice(16 * g, 16));
                scales[g] = scale;
                float a = MathF.Abs(scale);
                if (a > maxAbsScale) { maxAbsScale = a; maxScale = scale; }
            }
            if (maxAbsScale < KQuantSearch.GroupMaxEps)
            {
                b.Clear();
                continue;
            }
            float iscale = -128f / maxScale;
            float d = WriteHalf(b, DAt, 1f / iscale);
            var ys = b.Slice(ScalesAt, 16);
            for (int g = 0; g < 16; g++) ys[g] = (byte)(sbyte)Math.Min(127, NearestInt(iscale * scales[g]));
            for (int g = 0; g < 16; g++)
            {
                float dg = d * (sbyte)ys[g];
                if (dg == 0f) continue;
                for (int l = 0; l < 16; l++)
                    codes[16 * g + l] = (sbyte)(Math.Max(-32, Math.Min(31, NearestInt(x[16 * g + l] / dg))) + 32);
            }
            for (int h = 0; h < 2; h++)
            {
                var ql = b.Slice(QlAt + 64 * h, 64);
                var qh = b.Slice(QhAt + 32 * h, 32);
                var c = codes.Slice(128 * h, 128);
                for (int l = 0; l < 32; l++)
                {
                    int c1 = c[l], c2 = c[l + 32], c3 = c[l + 64], c4 = c[l + 96];
                    ql[l] = (byte)((c1 & 0xF) | ((c3 & 0xF) << 4));
                    ql[l + 32] = (byte)((c2 & 0xF) | ((c4 & 0xF) << 4));
                    qh[l] = (byte)((c1 >> 4) | ((c2 >> 4) << 2) | ((c3 >> 4) << 4) | ((c4 >> 4) << 6));
                }
            }
        }
    }
}

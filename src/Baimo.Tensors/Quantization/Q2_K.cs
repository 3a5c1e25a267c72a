using System.Diagnostics;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q2_K: super-blocks of 256 values, 84 bytes: scales[16] (per 16-value group: low nibble = scale code,
/// high nibble = min code), qs[64] (2-bit codes), fp16 d, fp16 dmin;
/// value = d·scale·code − dmin·min. Element e is bits 2·((e % 128) / 32) of qs[32·(e / 128) + e % 32].
/// </summary>
internal static class Q2_K
{
    public const int BlockSize = 256, BlockBytes = 84;
    private const int ScalesAt = 0, QsAt = 16, DAt = 80, DminAt = 82;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][84], dst [blocks·256]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        var three = Vector256.Create((byte)3);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, DAt), dmin = ReadHalf(b, DminAt);
            var scales = b.Slice(ScalesAt, 16);
            for (int half = 0; half < 2; half++)
            {
                var q = Vector256.Create(b.Slice(QsAt + 32 * half, 32));
                for (int k = 0; k < 4; k++) // 32 values = groups g and g + 1
                {
                    int g = 8 * half + 2 * k;
                    int s0 = scales[g], s1 = scales[g + 1];
                    var codes = Vector256.ShiftRightLogical(q, 2 * k) & three;
                    Simd.ScaleAdd32(codes.AsSByte(), d * (s0 & 0xF), -(dmin * (s0 >> 4)), d * (s1 & 0xF), -(dmin * (s1 >> 4)),
                        y.Slice(16 * g, 32));
                }
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
            var scales = b.Slice(ScalesAt, 16);
            for (int g = 0; g < 16; g++) // 16-value groups
            {
                int sc = scales[g];
                float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                int half = g / 8, shift = 2 * ((g % 8) / 2), l0 = 16 * (g % 2);
                var q = b.Slice(QsAt + 32 * half + l0, 16);
                var yg = y.Slice(16 * g, 16);
                for (int l = 0; l < 16; l++) yg[l] = dl * ((q[l] >> shift) & 3) - ml;
            }
        }
    }

    /// <summary>
    /// ggml's quantize_row_q2_K_ref: per 16-value group a |x|-weighted make_qkx2_quants (nmax 3), then the
    /// group scales and mins are themselves quantized to 4 bits against the super-block maxima, and the
    /// codes are recomputed with the rounded scales.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·256], dst [blocks][84]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        Span<byte> codes = stackalloc byte[BlockSize];
        Span<byte> scratch = stackalloc byte[16];
        Span<float> weights = stackalloc float[16];
        Span<float> mins = stackalloc float[16];   // [group]
        Span<float> scales = stackalloc float[16]; // [group]
        const float q4scale = 15f;
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            var ys = b.Slice(ScalesAt, 16);
            float maxScale = 0f, maxMin = 0f;
            for (int g = 0; g < 16; g++)
            {
                var xg = x.Slice(16 * g, 16);
                for (int l = 0; l < 16; l++) weights[l] = MathF.Abs(xg[l]);
                scales[g] = KQuantSearch.MakeQkx2Quants(xg, weights, 3, codes.Slice(16 * g, 16), scratch,
                    out mins[g], -0.5f, 0.1f, 15, useMad: true);
                if (scales[g] > maxScale) maxScale = scales[g];
                if (mins[g] > maxMin) maxMin = mins[g];
            }
            float d, dmin;
            if (maxScale > 0f)
            {
                float iscale = q4scale / maxScale;
                for (int g = 0; g < 16; g++) ys[g] = (byte)NearestInt(iscale * scales[g]);
                d = WriteHalf(b, DAt, maxScale / q4scale);
            }
            else
            {
                ys.Clear();
                d = WriteHalf(b, DAt, 0f);
            }
            if (maxMin > 0f)
            {
                float iscale = q4scale / maxMin;
                for (int g = 0; g < 16; g++) ys[g] |= (byte)(NearestInt(iscale * mins[g]) << 4);
                dmin = WriteHalf(b, DminAt, maxMin / q4scale);
            }
            else
            {
                dmin = WriteHalf(b, DminAt, 0f);
            }
            for (int g = 0; g < 16; g++)
            {
                float dg = d * (ys[g] & 0xF);
                if (dg == 0f) continue; // keep the search's codes: they multiply a zero scale anyway
                float mg = dmin * (ys[g] >> 4);
                for (int l = 0; l < 16; l++)
                    codes[16 * g + l] = (byte)Math.Max(0, Math.Min(3, NearestInt((x[16 * g + l] + mg) / dg)));
            }
            PackTwoBit(codes, b.Slice(QsAt, 64));
        }
    }

    /// <summary>Packs 256 2-bit codes: qs[32·h + l] holds elements 128·h + 32·k + l in bits 2k.</summary>
    internal static void PackTwoBit(ReadOnlySpan<byte> codes, Span<byte> qs)
    {
        for (int h = 0; h < 2; h++)
            for (int l = 0; l < 32; l++)
            {
                int e = 128 * h + l;
                qs[32 * h + l] = (byte)(codes[e] | (codes[e + 32] << 2) | (codes[e + 64] << 4) | (codes[e + 96] << 6));
            }
    }
}

using System.Diagnostics;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q3_K: super-blocks of 256 values, 110 bytes: hmask[32] (third bit of element e is bit e/32 of
/// hmask[e % 32]), qs[64] (low two bits, packed as in Q2_K), scales[12] (sixteen 6-bit signed scales,
/// offset 32), fp16 d; value = d·(scale − 32)·(code − 4), code = low bits + 4·high bit.
/// </summary>
internal static class Q3_K
{
    public const int BlockSize = 256, BlockBytes = 110;
    private const int HmaskAt = 0, QsAt = 32, ScalesAt = 96, DAt = 108;

    /// <summary>
    /// The 6-bit scale code of group <paramref name="g"/> (0..15): low nibble from byte g (g &lt; 8) or the
    /// high nibble of byte g − 8, top two bits from byte 8 + g % 4 at bit 2·(g / 4).
    /// </summary>
    private static int ScaleCode(ReadOnlySpan<byte> s, int g) =>
        (g < 8 ? s[g] & 0xF : s[g - 8] >> 4) | (((s[8 + g % 4] >> (2 * (g / 4))) & 3) << 4);

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][110], dst [blocks·256]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        var three = Vector256.Create((byte)3);
        var one = Vector256.Create((byte)1);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float dAll = ReadHalf(b, DAt);
            var scales = b.Slice(ScalesAt, 12);
            var hmask = Vector256.Create(b.Slice(HmaskAt, 32));
            for (int half = 0; half < 2; half++)
            {
                var q = Vector256.Create(b.Slice(QsAt + 32 * half, 32));
                for (int k = 0; k < 4; k++)
                {
                    int g = 8 * half + 2 * k;
                    var lo = Vector256.ShiftRightLogical(q, 2 * k) & three;
                    // 4 where the high bit is clear, else 0
                    var sub = Vector256.ShiftLeft((Vector256.ShiftRightLogical(hmask, 4 * half + k) & one) ^ one, 2);
                    Simd.Scale32(lo.AsSByte() - sub.AsSByte(), dAll * (ScaleCode(scales, g) - 32), dAll * (ScaleCode(scales, g + 1) - 32),
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
            float dAll = ReadHalf(b, DAt);
            var scales = b.Slice(ScalesAt, 12);
            var hmask = b.Slice(HmaskAt, 32);
            for (int g = 0; g < 16; g++)
            {
                float dl = dAll * (ScaleCode(scales, g) - 32);
                int half = g / 8, k = (g % 8) / 2, l0 = 16 * (g % 2);
                int shift = 2 * k, hbit = 4 * half + k;
                var q = b.Slice(QsAt + 32 * half, 32);
                var yg = y.Slice(16 * g, 16);
                for (int l = 0; l < 16; l++)
                {
                    // code − 4 where the high bit is clear (branch-free: the bits are random)
                    int lo = (q[l0 + l] >> shift) & 3;
                    int hi = (((hmask[l0 + l] >> hbit) & 1) ^ 1) << 2;
                    yg[l] = dl * (lo - hi);
                }
            }
        }
    }

    /// <summary>
    /// ggml's quantize_row_q3_K_ref: per 16-value group make_q3_quants (nmax 4), the group scales quantized
    /// to 6 signed bits against the one of largest magnitude, codes recomputed with the rounded scales.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·256], dst [blocks][110]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        Span<sbyte> codes = stackalloc sbyte[BlockSize];
        Span<byte> packed = stackalloc byte[BlockSize];
        Span<float> scales = stackalloc float[16]; // [group]
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            float maxScale = 0f, amax = 0f;
            for (int g = 0; g < 16; g++)
            {
                scales[g] = KQuantSearch.MakeQ3Quants(x.Slice(16 * g, 16), 4, codes.Slice(16 * g, 16));
                float a = MathF.Abs(scales[g]);
                if (a > amax) { amax = a; maxScale = scales[g]; }
            }
            var ys = b.Slice(ScalesAt, 12);
            ys.Clear();
            float d;
            if (maxScale != 0f)
            {
                float iscale = -32f / maxScale;
                for (int g = 0; g < 16; g++)
                {
                    sbyte l8 = (sbyte)NearestInt(iscale * scales[g]);
                    int l = Math.Max(-32, Math.Min(31, (int)l8)) + 32;
                    if (g < 8) ys[g] = (byte)(l & 0xF);
                    else ys[g - 8] |= (byte)((l & 0xF) << 4);
                    l >>= 4;
                    ys[g % 4 + 8] |= (byte)(l << (2 * (g / 4)));
                }
                d = WriteHalf(b, DAt, 1f / iscale);
            }
            else
            {
                d = WriteHalf(b, DAt, 0f);
            }
            for (int g = 0; g < 16; g++)
            {
                float dg = d * (sbyte)(ScaleCode(ys, g) - 32);
                if (dg == 0f) continue;
                for (int l = 0; l < 16; l++)
                    codes[16 * g + l] = (sbyte)(Math.Max(-4, Math.Min(3, NearestInt(x[16 * g + l] / dg))) + 4);
            }
            var hmask = b.Slice(HmaskAt, 32);
            hmask.Clear();
            for (int e = 0; e < BlockSize; e++)
            {
                int c = codes[e];
                if (c > 3)
                {
                    hmask[e % 32] |= (byte)(1 << (e / 32));
                    c -= 4;
                }
                packed[e] = (byte)c;
            }
            Q2_K.PackTwoBit(packed, b.Slice(QsAt, 64));
        }
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// The 4-bit non-linear quants. Codes index a fixed 16-entry table of int8 levels that is denser near zero
/// (weights are roughly bell-shaped), so 4 bits lose less than with evenly spaced levels.
/// <list type="bullet">
/// <item>IQ4_NL: blocks of 32 values, 18 bytes: fp16 d, qs[16] (low nibble element j, high nibble j+16);
/// value = d·level[code].</item>
/// <item>IQ4_XS: super-blocks of 256, 136 bytes: fp16 d, uint16 scales_h (2 high bits per sub-block),
/// scales_l[4] (low nibbles), qs[128] (eight IQ4_NL-style 16-byte runs); value = d·(ls − 32)·level[code]
/// with ls the 6-bit scale of the 32-value sub-block.</item>
/// </list>
/// </summary>
internal static class IQ4
{
    public const int NlBlockSize = 32, NlBlockBytes = 18;
    public const int XsBlockSize = 256, XsBlockBytes = 136;

    /// <summary>ggml's kvalues_iq4nl.</summary>
    private static ReadOnlySpan<sbyte> Levels => [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

    /// <summary>How many scales around the first guess the search tries each side (llama-quantize's 7).</summary>
    private const int Tries = 7;

    public static void DequantizeNl(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][18], dst [blocks·32]
    {
        int nb = src.Length / NlBlockBytes;
        Debug.Assert(dst.Length == nb * NlBlockSize);
        var levels = Levels;
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * NlBlockBytes, NlBlockBytes);
            var y = dst.Slice(i * NlBlockSize, NlBlockSize);
            float d = ReadHalf(b, 0);
            for (int j = 0; j < 16; j++)
            {
                y[j] = d * levels[b[2 + j] & 0xF];
                y[j + 16] = d * levels[b[2 + j] >> 4];
            }
        }
    }

    public static void DequantizeXs(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][136], dst [blocks·256]
    {
        int nb = src.Length / XsBlockBytes;
        Debug.Assert(dst.Length == nb * XsBlockSize);
        var levels = Levels;
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * XsBlockBytes, XsBlockBytes);
            var y = dst.Slice(i * XsBlockSize, XsBlockSize);
            float d = ReadHalf(b, 0);
            int scalesH = BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(2, 2));
            for (int ib = 0; ib < 8; ib++)
            {
                int ls = ((b[4 + ib / 2] >> (4 * (ib % 2))) & 0xF) | (((scalesH >> (2 * ib)) & 3) << 4);
                float dl = d * (ls - 32);
                var qs = b.Slice(8 + 16 * ib, 16);
                var yb = y.Slice(32 * ib, 32);
                for (int j = 0; j < 16; j++)
                {
                    yb[j] = dl * levels[qs[j] & 0xF];
                    yb[j + 16] = dl * levels[qs[j] >> 4];
                }
            }
        }
    }

    /// <summary>ggml's quantize_iq4_nl without an importance matrix (what llama-quantize runs).</summary>
    public static void QuantizeNl(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][18]
    {
        int nb = src.Length / NlBlockSize;
        Debug.Assert(dst.Length == nb * NlBlockBytes);
        Span<byte> codes = stackalloc byte[NlBlockSize];
        Span<float> weights = stackalloc float[NlBlockSize];
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * NlBlockSize, NlBlockSize);
            var b = dst.Slice(i * NlBlockBytes, NlBlockBytes);
            float scale = SearchScale(x, weights, codes);
            WriteHalf(b, 0, scale);
            // Requantize with the unrounded scale (as ggml does), not the stored fp16 one.
            float id = scale != 0f ? 1f / scale : 0f;
            for (int j = 0; j < NlBlockSize; j++) codes[j] = (byte)BestIndex(id * x[j]);
            PackNibbles(codes, b.Slice(2, 16));
        }
    }

    /// <summary>ggml's quantize_iq4_xs without an importance matrix.</summary>
    public static void QuantizeXs(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·256], dst [blocks][136]
    {
        int nb = src.Length / XsBlockSize;
        Debug.Assert(dst.Length == nb * XsBlockBytes);
        Span<byte> codes = stackalloc byte[XsBlockSize];
        Span<float> weights = stackalloc float[32];
        Span<float> scales = stackalloc float[8]; // [sub-block]
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * XsBlockSize, XsBlockSize);
            var b = dst.Slice(i * XsBlockBytes, XsBlockBytes);
            float maxScale = 0f, amaxScale = 0f;
            for (int ib = 0; ib < 8; ib++)
            {
                float s = SearchScale(x.Slice(32 * ib, 32), weights, codes.Slice(32 * ib, 32));
                scales[ib] = s;
                if (MathF.Abs(s) > amaxScale) { amaxScale = MathF.Abs(s); maxScale = s; }
            }
            // The super-block scale maps the sub-block scale of largest magnitude to −32 (6-bit code 0).
            float d = -maxScale / 32f;
            WriteHalf(b, 0, d);
            float id = d != 0f ? 1f / d : 0f;
            int scalesH = 0;
            var scalesL = b.Slice(4, 4);
            for (int ib = 0; ib < 8; ib++)
            {
                int l = Math.Max(-32, Math.Min(31, NearestInt(id * scales[ib])));
                float dl = d * l;
                float idl = dl != 0f ? 1f / dl : 0f;
                var xb = x.Slice(32 * ib, 32);
                var cb = codes.Slice(32 * ib, 32);
                for (int j = 0; j < 32; j++) cb[j] = (byte)BestIndex(idl * xb[j]);
                l += 32;
                if (ib % 2 == 0) scalesL[ib / 2] = (byte)(l & 0xF);
                else scalesL[ib / 2] |= (byte)((l & 0xF) << 4);
                scalesH |= (l >> 4) << (2 * ib);
            }
            BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(2, 2), (ushort)scalesH);
            for (int ib = 0; ib < 8; ib++) PackNibbles(codes.Slice(32 * ib, 32), b.Slice(8 + 16 * ib, 16));
        }
    }

    /// <summary>
    /// The per-32 scale search of ggml's quantize_row_iq4_nl_impl (no importance matrix: weights x²):
    /// start from d = −max/−127 (max = signed value of largest magnitude) and try 15 neighbouring inverse
    /// scales (itry − 127)/max, keeping the weighted least-squares scale with the best fit. Returns the
    /// scale (0 for an all-zero group); <paramref name="codes"/> [32] is scratch.
    /// </summary>
    private static float SearchScale(ReadOnlySpan<float> x, Span<float> weights, Span<byte> codes)
    {
        var levels = Levels;
        int n = x.Length;
        for (int j = 0; j < n; j++) weights[j] = x[j] * x[j];
        float amax = 0f, max = 0f;
        for (int j = 0; j < n; j++)
        {
            float ax = MathF.Abs(x[j]);
            if (ax > amax) { amax = ax; max = x[j]; }
        }
        if (amax < KQuantSearch.GroupMaxEps) return 0f;
        float d = -max / levels[0];
        float id = 1f / d;
        float sumqx = 0f, sumq2 = 0f;
        for (int j = 0; j < n; j++)
        {
            int l = BestIndex(id * x[j]);
            codes[j] = (byte)l;
            float q = levels[l];
            float w = weights[j];
            sumqx += w * q * x[j];
            sumq2 += w * q * q;
        }
        d = sumqx / sumq2;
        float best = d * sumqx;
        for (int itry = -Tries; itry <= Tries; itry++)
        {
            id = (itry + levels[0]) / max;
            sumqx = sumq2 = 0f;
            for (int j = 0; j < n; j++)
            {
                float q = levels[BestIndex(id * x[j])];
                float w = weights[j];
                sumqx += w * q * x[j];
                sumq2 += w * q * q;
            }
            if (sumq2 > 0f && sumqx * sumqx > best * sumq2)
            {
                d = sumqx / sumq2;
                best = d * sumqx;
            }
        }
        return d;
    }

    /// <summary>ggml's best_index_int8: the level nearest to <paramref name="x"/> (ties to the upper one).</summary>
    private static int BestIndex(float x)
    {
        var levels = Levels;
        if (x <= levels[0]) return 0;
        if (x >= levels[15]) return 15;
        int ml = 0, mu = 15;
        while (mu - ml > 1)
        {
            int mav = (ml + mu) / 2;
            if (x < levels[mav]) mu = mav; else ml = mav;
        }
        return x - levels[mu - 1] < levels[mu] - x ? mu - 1 : mu;
    }

    /// <summary>32 codes → 16 bytes: low nibble element j, high nibble element j + 16.</summary>
    private static void PackNibbles(ReadOnlySpan<byte> codes, Span<byte> qs)
    {
        for (int j = 0; j < 16; j++) qs[j] = (byte)(codes[j] | (codes[j + 16] << 4));
    }
}

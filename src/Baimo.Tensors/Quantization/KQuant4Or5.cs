using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// The part of ggml's Q4_K and Q5_K reference quantizers that the two share: both store fp16 d, fp16 dmin
/// and 12 bytes of 6-bit scale/min codes at the start of the block and differ only in code width and in
/// how the codes are packed.
/// </summary>
internal static class KQuant4Or5
{
    public delegate void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block); // codes [256], block [bytes]

    public static void QuantizeSuperBlocks(ReadOnlySpan<float> src, Span<byte> dst, int blockBytes, int nmax,
        float rmin, float rdelta, int nstep, Span<byte> codes, PackCodes pack)
    {
        const int QK = 256;
        int nb = src.Length / QK;
        Span<byte> scratch = stackalloc byte[32];
        Span<float> weights = stackalloc float[32];
        Span<float> mins = stackalloc float[8];   // [sub-block]
        Span<float> scales = stackalloc float[8]; // [sub-block]
        Span<byte> ls = stackalloc byte[8];
        Span<byte> lm = stackalloc byte[8];
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * QK, QK);
            var b = dst.Slice(i * blockBytes, blockBytes);
            float maxScale = 0f, maxMin = 0f;
            for (int j = 0; j < 8; j++)
            {
                var xs = x.Slice(32 * j, 32);
                float sumX2 = 0f;
                for (int l = 0; l < 32; l++) sumX2 += xs[l] * xs[l];
                float avX = MathF.Sqrt(sumX2 / 32f);
                for (int l = 0; l < 32; l++) weights[l] = avX + MathF.Abs(xs[l]);
                scales[j] = KQuantSearch.MakeQkx2Quants(xs, weights, nmax, codes.Slice(32 * j, 32), scratch,
                    out mins[j], rmin, rdelta, nstep, useMad: false);
                if (scales[j] > maxScale) maxScale = scales[j];
                if (mins[j] > maxMin) maxMin = mins[j];
            }
            float invScale = maxScale > 0f ? 63f / maxScale : 0f;
            float invMin = maxMin > 0f ? 63f / maxMin : 0f;
            for (int j = 0; j < 8; j++)
            {
                // C stores nearest_int into a uint8_t before clamping: keep the wrap-around.
                ls[j] = Math.Min((byte)63, (byte)NearestInt(invScale * scales[j]));
                lm[j] = Math.Min((byte)63, (byte)NearestInt(invMin * mins[j]));
            }
            var packedScales = b.Slice(4, 12);
            packedScales.Clear();
            PackScaleMinK4(ls, lm, packedScales);
            float d = WriteHalf(b, 0, maxScale / 63f);
            float dmin = WriteHalf(b, 2, maxMin / 63f);
            for (int j = 0; j < 8; j++)
            {
                GetScaleMinK4(j, packedScales, out int sc, out int m);
                float dj = d * sc;
                if (dj == 0f) continue;
                float dm = dmin * m;
                for (int l = 0; l < 32; l++)
                    codes[32 * j + l] = (byte)Math.Max(0, Math.Min(nmax, NearestInt((x[32 * j + l] + dm) / dj)));
            }
            pack(codes, b);
        }
    }
}

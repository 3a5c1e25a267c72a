namespace Baimo.Models.Blocks;

/// <summary>
/// Rotary position embedding as ggml computes it: the angle for pair i is built by repeated float
/// multiplication (<c>theta *= base^(−2/n_rot)</c>, starting from the position) rather than by pow per pair,
/// because that is what the reference does and the rounding differs.
/// </summary>
public static class Rope
{
    /// <summary>
    /// Rotates each head of each token in place. x: [tokens][heads][headDim]; positions: [tokens].
    /// Only the first <paramref name="ropeDims"/> dimensions of each head rotate.
    /// </summary>
    public static void Apply(Span<float> x, ReadOnlySpan<int> positions, int heads, int headDim, int ropeDims,
        float freqBase, float freqScale, RopeStyle style, Span<float> cacheScratch /* [ropeDims] */)
    {
        if (style == RopeStyle.None) return;
        float thetaScale = MathF.Pow(freqBase, -2.0f / ropeDims);
        var cache = cacheScratch[..ropeDims];
        for (int t = 0; t < positions.Length; t++)
        {
            // cache[2i] = cos θ_i, cache[2i+1] = sin θ_i for this position.
            float theta = positions[t];
            for (int i0 = 0; i0 < ropeDims; i0 += 2)
            {
                float th = freqScale * theta;
                cache[i0] = MathF.Cos(th);
                cache[i0 + 1] = MathF.Sin(th);
                theta *= thetaScale;
            }
            for (int h = 0; h < heads; h++)
            {
                var v = x.Slice((t * heads + h) * headDim, headDim);
                if (style == RopeStyle.Normal)
                {
                    for (int i0 = 0; i0 < ropeDims; i0 += 2)
                    {
                        float c = cache[i0], s = cache[i0 + 1];
                        float x0 = v[i0], x1 = v[i0 + 1];
                        v[i0] = x0 * c - x1 * s;
                        v[i0 + 1] = x0 * s + x1 * c;
                    }
                }
                else
                {
                    int half = ropeDims / 2;
                    for (int i0 = 0; i0 < ropeDims; i0 += 2)
                    {
                        float c = cache[i0], s = cache[i0 + 1];
                        int ic = i0 / 2;
                        float x0 = v[ic], x1 = v[ic + half];
                        v[ic] = x0 * c - x1 * s;
                        v[ic + half] = x0 * s + x1 * c;
                    }
                }
            }
        }
    }
}

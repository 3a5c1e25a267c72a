using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// The scale searches of ggml's k-quant reference quantizers (used by llama-quantize when no importance
/// matrix is given). They are greedy/heuristic, so reproducing a file byte for byte means reproducing each
/// float operation in the same order: every expression below keeps C's evaluation order (left to right,
/// int operands converted to float at the operator), and nothing is fused or reassociated.
/// </summary>
internal static class KQuantSearch
{
    /// <summary>Below this largest magnitude a group counts as all zero (ggml's GROUP_MAX_EPS).</summary>
    public const float GroupMaxEps = 1e-15f;

    /// <summary>
    /// ggml's make_qx_quants with rmse_type 1 and no importance weights (weights = x²): symmetric codes in
    /// [0, 2·nmax) for x ≈ scale·(code − nmax). Starts from iscale = −nmax/max (max = the signed value of
    /// largest magnitude) and tries 18 nearby scales, keeping the one with the best weighted least-squares
    /// fit. Returns the scale; <paramref name="codes"/> [n] gets the codes.
    /// </summary>
    public static float MakeQxQuants(ReadOnlySpan<float> x, int nmax, Span<sbyte> codes)
    {
        int n = x.Length;
        float max = 0f, amax = 0f;
        for (int i = 0; i < n; i++)
        {
            float ax = MathF.Abs(x[i]);
            if (ax > amax) { amax = ax; max = x[i]; }
        }
        if (amax < GroupMaxEps)
        {
            codes.Clear();
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0f, suml2 = 0f;
        for (int i = 0; i < n; i++)
        {
            int l = Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(iscale * x[i])));
            codes[i] = (sbyte)(l + nmax);
            float w = x[i] * x[i];
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0f ? sumlx / suml2 : 0f;
        float best = scale * sumlx;
        for (int step = -9; step <= 9; step++)
        {
            if (step == 0) continue;
            iscale = -(nmax + 0.1f * step) / max;
            sumlx = suml2 = 0f;
            for (int i = 0; i < n; i++)
            {
                int l = Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(iscale * x[i])));
                float w = x[i] * x[i];
                sumlx += w * x[i] * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0f && sumlx * sumlx > best * suml2)
            {
                for (int i = 0; i < n; i++)
                    codes[i] = (sbyte)(nmax + Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(iscale * x[i]))));
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /// <summary>
    /// ggml's make_q3_quants with do_rmse: symmetric codes in [0, 2·nmax) from iscale = −nmax/max, then up
    /// to five passes moving single codes when that improves the x²-weighted fit. Returns the scale.
    /// </summary>
    public static float MakeQ3Quants(ReadOnlySpan<float> x, int nmax, Span<sbyte> codes)
    {
        int n = x.Length;
        float max = 0f, amax = 0f;
        for (int i = 0; i < n; i++)
        {
            float ax = MathF.Abs(x[i]);
            if (ax > amax) { amax = ax; max = x[i]; }
        }
        if (amax < GroupMaxEps)
        {
            codes.Clear();
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0f, suml2 = 0f;
        for (int i = 0; i < n; i++)
        {
            int l = Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(iscale * x[i])));
            codes[i] = (sbyte)l; // signed during the search, offset by nmax at the end
            float w = x[i] * x[i];
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }
        for (int pass = 0; pass < 5; pass++)
        {
            int changed = 0;
            for (int i = 0; i < n; i++)
            {
                float w = x[i] * x[i];
                float slx = sumlx - w * x[i] * codes[i];
                if (slx > 0f)
                {
                    float sl2 = suml2 - w * codes[i] * codes[i];
                    int newL = Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(x[i] * sl2 / slx)));
                    if (newL != codes[i])
                    {
                        slx += w * x[i] * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0f && slx * slx * suml2 > sumlx * sumlx * sl2)
                        {
                            codes[i] = (sbyte)newL;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0) break;
        }
        for (int i = 0; i < n; i++) codes[i] = (sbyte)(codes[i] + nmax);
        return sumlx / suml2;
    }

    /// <summary>
    /// ggml's make_qkx2_quants: asymmetric codes in [0, nmax] for x ≈ scale·code − theMin (theMin ≥ 0, the
    /// group's minimum clipped at zero). Starts from the min/max range, then tries nstep+1 scales
    /// (rmin + rdelta·k + nmax)/(max − min), solving the weighted least-squares scale and offset for each
    /// and keeping the one with the smallest weighted error (absolute when <paramref name="useMad"/>,
    /// squared otherwise). Returns the scale; <paramref name="theMin"/> gets the (positive) offset.
    /// </summary>
    public static float MakeQkx2Quants(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, int nmax, Span<byte> codes,
        Span<byte> scratch, out float theMin, float rmin, float rdelta, int nstep, bool useMad)
    {
        int n = x.Length;
        float min = x[0], max = x[0];
        float sumW = weights[0];
        float sumX = sumW * x[0];
        for (int i = 1; i < n; i++)
        {
            if (x[i] < min) min = x[i];
            if (x[i] > max) max = x[i];
            float w = weights[i];
            sumW += w;
            sumX += w * x[i];
        }
        if (min > 0f) min = 0f;
        if (max == min)
        {
            codes.Clear();
            theMin = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1f / iscale;
        float bestMad = 0f;
        for (int i = 0; i < n; i++)
        {
            int l = NearestInt(iscale * (x[i] - min));
            codes[i] = (byte)Math.Max(0, Math.Min(nmax, l));
            float diff = scale * codes[i] + min - x[i];
            diff = useMad ? MathF.Abs(diff) : diff * diff;
            bestMad += weights[i] * diff;
        }
        if (nstep < 1)
        {
            theMin = -min;
            return scale;
        }
        for (int step = 0; step <= nstep; step++)
        {
            iscale = (rmin + rdelta * step + nmax) / (max - min);
            float sumL = 0f, sumL2 = 0f, sumXL = 0f;
            for (int i = 0; i < n; i++)
            {
                int l = Math.Max(0, Math.Min(nmax, NearestInt(iscale * (x[i] - min))));
                scratch[i] = (byte)l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0f)
            {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0f)
                {
                    thisMin = 0f;
                    thisScale = sumXL / sumL2;
                }
                float mad = 0f;
                for (int i = 0; i < n; i++)
                {
                    float diff = thisScale * scratch[i] + thisMin - x[i];
                    diff = useMad ? MathF.Abs(diff) : diff * diff;
                    mad += weights[i] * diff;
                }
                if (mad < bestMad)
                {
                    scratch[..n].CopyTo(codes);
                    bestMad = mad;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin = -min;
        return scale;
    }
}

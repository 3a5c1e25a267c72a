using System.Numerics;
using System.Runtime.CompilerServices;

namespace Baimo.Models.Blocks;

/// <summary>
/// Normalisations as llama.cpp computes them: sums in double (ggml_float), the scale as
/// <c>1/sqrtf(mean + eps)</c> in float, then a separate element-wise multiply by the weight.
/// </summary>
public static class Norms
{
    /// <summary>RMSNorm of each row: <c>y = x / sqrt(mean(x²) + eps) · w</c>. x, y: [rows][n]; w: [n].</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float eps, int rows, int n, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += (double)(xr[i] * xr[i]);
            float scale = 1.0f / MathF.Sqrt((float)(sum / n) + eps);
            for (int i = 0; i < n; i++) yr[i] = xr[i] * scale;
            Multiply(yr, w);
        }
    }

    /// <summary>LayerNorm of each row: <c>y = (x − mean) / sqrt(var + eps) · w + b</c>. x, y: [rows][n]; w, b: [n].</summary>
    public static void LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float eps, int rows, int n, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += xr[i];
            float mean = (float)(sum / n);
            double sum2 = 0;
            for (int i = 0; i < n; i++)
            {
                float v = xr[i] - mean;
                yr[i] = v;
                sum2 += (double)(v * v);
            }
            float scale = 1.0f / MathF.Sqrt((float)(sum2 / n) + eps);
            for (int i = 0; i < n; i++) yr[i] *= scale;
            Multiply(yr, w);
            Add(yr, b);
        }
    }

    /// <summary>y[i] *= w[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(Span<float> y, ReadOnlySpan<float> w)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(y[i..]) * new Vector<float>(w[i..])).CopyTo(y[i..]);
        for (; i < y.Length; i++) y[i] *= w[i];
    }

    /// <summary>y[i] += b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<float> y, ReadOnlySpan<float> b)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(y[i..]) + new Vector<float>(b[i..])).CopyTo(y[i..]);
        for (; i < y.Length; i++) y[i] += b[i];
    }

    /// <summary>Adds a bias row to every row: y [rows][n] += b [n].</summary>
    public static void AddRowBias(Span<float> y, ReadOnlySpan<float> b, int rows)
    {
        int n = b.Length;
        for (int r = 0; r < rows; r++) Add(y.Slice(r * n, n), b);
    }
}

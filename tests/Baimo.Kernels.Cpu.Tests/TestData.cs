using System.Runtime.InteropServices;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>Native memory that outlives a test's matrices (WeightMatrix points into it without copying).</summary>
internal sealed unsafe class NativeBytes : IDisposable
{
    public NativeBytes(ReadOnlySpan<byte> bytes)
    {
        // Odd alignment on purpose: mapped tensors are only 32-byte aligned and rows are not aligned at all.
        Base = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        Pointer = Base + 1;
        bytes.CopyTo(new Span<byte>(Pointer, bytes.Length));
        Length = bytes.Length;
    }

    private byte* Base { get; }
    public byte* Pointer { get; }
    public int Length { get; }
    public ReadOnlySpan<byte> Span => new(Pointer, Length);
    public void Dispose() => NativeMemory.Free(Base);
}

/// <summary>Random weights and activations, and the float64 reference products.</summary>
internal static class TestData
{
    /// <summary>Every type that has a kernel.</summary>
    public static readonly WeightType[] Types =
    [
        WeightType.F32, WeightType.F16, WeightType.BF16, WeightType.Q8_0, WeightType.Q4_0, WeightType.Q4_1,
        WeightType.Q5_0, WeightType.Q5_1, WeightType.Q2_K, WeightType.Q3_K, WeightType.Q4_K, WeightType.Q5_K,
        WeightType.Q6_K, WeightType.IQ4_NL, WeightType.IQ4_XS,
    ];

    public static IEnumerable<object[]> TypeData => Types.Select(t => new object[] { t });

    /// <summary>Normal-ish values (sum of uniforms) with a few outliers, as real activations have.</summary>
    public static float[] Floats(Random rng, int n, float scale = 1f)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5;
            if (rng.Next(64) == 0) s *= 8;
            v[i] = (float)(s * scale);
        }
        return v;
    }

    /// <summary>Random weights [rows][cols] quantized to <paramref name="type"/> with the reference quantizer; also the float source.</summary>
    public static (byte[] Bytes, float[] Source) Weights(WeightType type, int rows, int cols, int seed)
    {
        var src = Floats(new Random(seed), rows * cols, 0.05f);
        var codec = WeightCodecs.Get(type);
        var bytes = new byte[codec.RowBytes(cols) * rows];
        codec.Quantize(src, bytes);
        return (bytes, src);
    }

    /// <summary>
    /// The float64 product of exactly dequantized weights with the activations converted (by the codec,
    /// the reference for that conversion) and dequantized again: what every kernel must reproduce up to the
    /// order of float additions. For Q8_1 the weight minimum m meets ggml's s = fp16(d·Σcode) rather than
    /// Σ of the dequantized activations, as in vec_dot_q4_1_q8_1. y [tokens][rows].
    /// </summary>
    public static (double[] Y, double[] Magnitude) Reference(WeightType type, ReadOnlySpan<byte> w, int rows, int cols, float[] x, int tokens)
    {
        var codec = WeightCodecs.Get(type);
        var act = WeightCodecs.Get(codec.ActivationType);
        int rowBytes = (int)codec.RowBytes(cols);
        var wd = new float[rows * cols];
        codec.Dequantize(w[..(rows * rowBytes)], wd);
        var xq = new byte[act.RowBytes(cols) * tokens];
        act.QuantizeActivations(x.AsSpan(0, tokens * cols), xq);
        var xd = new float[tokens * cols];
        act.Dequantize(xq, xd);
        var y = new double[tokens * rows];
        var mag = new double[tokens * rows];
        bool q81 = codec.ActivationType == WeightType.Q8_1;
        for (int t = 0; t < tokens; t++)
            for (int r = 0; r < rows; r++)
            {
                double s = 0, m = 0;
                for (int c = 0; c < cols; c++)
                {
                    double p = (double)wd[r * cols + c] * xd[t * cols + c];
                    s += p;
                    m += Math.Abs(p);
                }
                if (q81)
                {
                    int bpb = codec.Layout.BytesPerBlock;
                    for (int b = 0; b < cols / 32; b++)
                    {
                        double min = Fp16.ToSingle(BitConverter.ToUInt16(w.Slice(r * rowBytes + b * bpb + 2, 2)));
                        double sx = Fp16.ToSingle(BitConverter.ToUInt16(xq, (t * cols / 32 + b) * 36 + 2));
                        double sumX = 0;
                        for (int c = 32 * b; c < 32 * b + 32; c++) sumX += xd[t * cols + c];
                        s += min * (sx - sumX);
                        m += Math.Abs(min * sx);
                    }
                }
                y[t * rows + r] = s;
                mag[t * rows + r] = m;
            }
        return (y, mag);
    }

    /// <summary>The plain float64 product of the unquantized sources: y [tokens][rows].</summary>
    public static double[] Exact(float[] w, int rows, int cols, float[] x, int tokens)
    {
        var y = new double[tokens * rows];
        for (int t = 0; t < tokens; t++)
            for (int r = 0; r < rows; r++)
            {
                double s = 0;
                for (int c = 0; c < cols; c++) s += (double)w[r * cols + c] * x[t * cols + c];
                y[t * rows + r] = s;
            }
        return y;
    }

    public static int BlockSize(WeightType type) => WeightLayout.Of(type).BlockSize == 1 ? 32 : WeightLayout.Of(type).BlockSize;
}

using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// The activation conversions of llama.cpp's x86 CPU backend, writing the <see cref="Activations"/> layout.
/// Each produces the same numbers as <see cref="WeightCodec.QuantizeActivations"/> (tests compare them).
/// </summary>
internal static unsafe class ActivationQuantizer
{
    /// <summary>Converts token <paramref name="t"/>'s row <paramref name="x"/> [a.Cols] into <paramref name="a"/>.</summary>
    public static void QuantizeRow(ref Activations a, float* x, int t)
    {
        int cols = a.Cols;
        switch (a.Format)
        {
            case WeightType.F16:
                RoundToF16(x, a.F + (nint)t * cols, cols);
                break;
            case WeightType.BF16:
                RoundToBF16(x, a.F + (nint)t * cols, cols);
                break;
            case WeightType.Q8_0:
                Q8_0Row(x, cols, a.Q + (nint)t * cols, a.D + (nint)t * (cols / 32), null, a.DS + (nint)t * (cols / 32));
                break;
            case WeightType.Q8_1:
                Q8_0Row(x, cols, a.Q + (nint)t * cols, a.D + (nint)t * (cols / 32), a.S + (nint)t * (cols / 32), null);
                break;
            case WeightType.Q8_K:
                Q8_KRow(x, cols, a.Q + (nint)t * cols, a.D + (nint)t * (cols / 256), a.BSums + (nint)t * (cols / 16));
                break;
            default:
                throw new NotSupportedException($"{a.Format} is not an activation format");
        }
    }

    /// <summary>y = fp32(fp16(x)), round to nearest even: the products with fp16 weights are then exact in fp32.</summary>
    public static void RoundToF16(float* x, float* y, int n)
    {
        for (int i = 0; i < n; i++) y[i] = Fp16.ToSingle(Fp16.FromSingle(x[i]));
    }

    /// <summary>y = fp32(bf16(x)), round to nearest even.</summary>
    public static void RoundToBF16(float* x, float* y, int n)
    {
        for (int i = 0; i < n; i++) y[i] = Bf16.ToSingle(Bf16.FromSingle(x[i]));
    }

    /// <summary>
    /// x86 Q8_0 (and Q8_1 when <paramref name="s"/> is given): per 32 values d = amax/127 stored as fp16,
    /// code = round_half_even(x·127/amax) saturated to int8; Q8_1's s = fp16(d·Σcode) with d before rounding.
    /// <paramref name="ds"/>, when given, receives each block's d·Σcode (fp32, d as stored). x [n], q [n], d [n/32], s [n/32], ds [n/32].
    /// </summary>
    public static void Q8_0Row(float* x, int n, sbyte* q, float* d, float* s, float* ds)
    {
        for (int b = 0; b < n / 32; b++)
        {
            float* xb = x + 32 * b;
            float amax = 0f;
            for (int j = 0; j < 32; j++) amax = MathF.Max(amax, MathF.Abs(xb[j]));
            float dd = amax / 127f;
            float id = amax != 0f ? 127f / amax : 0f;
            int sum = 0;
            for (int j = 0; j < 32; j++)
            {
                int v = ToInt32X86(MathF.Round(xb[j] * id, MidpointRounding.ToEven));
                sbyte c = (sbyte)Math.Clamp(v, sbyte.MinValue, sbyte.MaxValue);
                q[32 * b + j] = c;
                sum += c;
            }
            d[b] = Fp16.ToSingle(Fp16.FromSingle(dd));
            if (s != null) s[b] = Fp16.ToSingle(Fp16.FromSingle(dd * sum));
            if (ds != null) ds[b] = d[b] * sum;
        }
    }

    /// <summary>
    /// Q8_K (ggml's reference, which x86 uses): per 256 values max = the signed value of largest magnitude
    /// (first wins), iscale = −127/max, code = min(127, round_half_even(iscale·x)), d = 1/iscale (fp32),
    /// bsums = sums of each 16 codes; an all-zero block gives d = 0 and zero codes.
    /// x [n], q [n], d [n/256], bsums [n/16].
    /// </summary>
    public static void Q8_KRow(float* x, int n, sbyte* q, float* d, short* bsums)
    {
        for (int b = 0; b < n / 256; b++)
        {
            float* xb = x + 256 * b;
            sbyte* qb = q + 256 * b;
            float max = 0f, amax = 0f;
            for (int j = 0; j < 256; j++)
            {
                float ax = MathF.Abs(xb[j]);
                if (ax > amax) { amax = ax; max = xb[j]; }
            }
            if (amax == 0f)
            {
                d[b] = 0f;
                new Span<sbyte>(qb, 256).Clear();
                new Span<short>(bsums + 16 * b, 16).Clear();
                continue;
            }
            float iscale = -127f / max;
            for (int j = 0; j < 256; j++) qb[j] = (sbyte)Math.Min(127, NearestInt(iscale * xb[j]));
            for (int g = 0; g < 16; g++)
            {
                int sum = 0;
                for (int k = 0; k < 16; k++) sum += qb[16 * g + k];
                bsums[16 * b + g] = (short)sum;
            }
            d[b] = 1f / iscale;
        }
    }

    /// <summary>C's float → int32 conversion on x86 (cvttss2si): NaN and out-of-range give int.MinValue.</summary>
    private static int ToInt32X86(float v) => v >= -2147483648f && v < 2147483648f ? (int)v : int.MinValue;

    /// <summary>ggml's nearest_int: round half to even through the 1.5·2^23 trick (same answers at the edges).</summary>
    private static int NearestInt(float x)
    {
        float v = x + 12582912f;
        return (int)(BitConverter.SingleToUInt32Bits(v) & 0x007FFFFFu) - 0x00400000;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
                if (a.FS != null) ScaleUp(a.F + (nint)t * cols, a.FS + (nint)t * cols, cols);
                break;
            case WeightType.BF16:
                RoundToBF16(x, a.F + (nint)t * cols, cols);
                break;
            case WeightType.Q8_0 when Avx2.IsSupported:
                Q8_0RowVector(x, cols, a.Q + (nint)t * cols, a.D + (nint)t * (cols / 32), null, a.DS + (nint)t * (cols / 32));
                break;
            case WeightType.Q8_1 when Avx2.IsSupported:
                Q8_0RowVector(x, cols, a.Q + (nint)t * cols, a.D + (nint)t * (cols / 32), a.S + (nint)t * (cols / 32), null);
                break;
            case WeightType.Q8_K when Avx2.IsSupported:
                Q8_KRowVector(x, cols, a.Q + (nint)t * cols, a.D + (nint)t * (cols / 256), a.BSums + (nint)t * (cols / 16));
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
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) RoundToF16(Vector256.Load(x + i)).Store(y + i);
        for (; i < n; i++) y[i] = Fp16.ToSingle(Fp16.FromSingle(x[i]));
    }

    /// <summary>
    /// Eight floats rounded to fp16 and back, the same bits as <see cref="Fp16.FromSingle"/> then <see cref="Fp16.ToSingle"/>:
    /// normal halves keep 10 mantissa bits, rounded to nearest even in the integer bits; below 2^−14 adding and taking
    /// away 0.5 (whose ulp is 2^−24, the subnormal step) rounds in the FPU; from 65520 up, infinity; NaN, the quiet NaN.
    /// </summary>
    private static Vector256<float> RoundToF16(Vector256<float> v)
    {
        var u = v.AsUInt32();
        var sign = u & Vector256.Create(0x80000000u);
        var a = u & Vector256.Create(0x7FFFFFFFu);
        var odd = Vector256.ShiftRightLogical(a, 13) & Vector256<uint>.One;
        var normal = (a + Vector256.Create(0xFFFu) + odd) & Vector256.Create(0xFFFFE000u);
        var half = Vector256.Create(0.5f);
        var sub = (a.AsSingle() + half - half).AsUInt32();
        var r = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(0x38800000u)), sub, normal);
        r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, Vector256.Create(0x477FF000u)), Vector256.Create(0x7F800000u), r);
        r = Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256.Create(0x7F800000u)), Vector256.Create(0x7FC00000u), r);
        return (r | sign).AsSingle();
    }

    /// <summary>2^112, the factor between an fp16 and its bits shifted into a float's place (see <see cref="FloatRows"/>).</summary>
    public static float F16Scale => BitConverter.UInt32BitsToSingle(0x77800000u);

    /// <summary>
    /// y = x·2^112 for fp16-rounded x: exact, and finite for every finite fp16 (65504·2^112 &lt; 2^128), so a product with a
    /// weight's shifted bits (w·2^−112) is exactly w·x.
    /// </summary>
    public static void ScaleUp(float* x, float* y, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) (Vector256.Load(x + i) * Vector256.Create(F16Scale)).Store(y + i);
        for (; i < n; i++) y[i] = x[i] * F16Scale;
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

    /// <summary>
    /// <see cref="Q8_0Row"/> in eight lanes, the same numbers: the same products x·(127/amax), rounded half
    /// to even and converted as cvtps2dq does (out of range → int.MinValue), saturated to int8 by the packs.
    /// A block holding a NaN goes through the scalar twin (whose max propagates it).
    /// </summary>
    public static void Q8_0RowVector(float* x, int n, sbyte* q, float* d, float* s, float* ds)
    {
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        for (int b = 0; b < n / 32; b++)
        {
            float* xb = x + 32 * b;
            var v0 = Vector256.Load(xb);
            var v1 = Vector256.Load(xb + 8);
            var v2 = Vector256.Load(xb + 16);
            var v3 = Vector256.Load(xb + 24);
            if (!(Vector256.EqualsAll(v0, v0) & Vector256.EqualsAll(v1, v1) & Vector256.EqualsAll(v2, v2) & Vector256.EqualsAll(v3, v3)))
            {
                Q8_0Row(xb, 32, q + 32 * b, d + b, s == null ? null : s + b, ds == null ? null : ds + b);
                continue;
            }
            var m = Avx.Max(Avx.Max(Vector256.Abs(v0), Vector256.Abs(v1)), Avx.Max(Vector256.Abs(v2), Vector256.Abs(v3)));
            var m4 = Sse.Max(m.GetLower(), m.GetUpper());
            m4 = Sse.Max(m4, Sse.Shuffle(m4, m4, 0b01_00_11_10));
            m4 = Sse.Max(m4, Sse.Shuffle(m4, m4, 0b10_11_00_01));
            float amax = m4.ToScalar();
            float dd = amax / 127f;
            var id = Vector256.Create(amax != 0f ? 127f / amax : 0f);
            var c0 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v0 * id));
            var c1 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v1 * id));
            var c2 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v2 * id));
            var c3 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v3 * id));
            var codes = Avx2.PermuteVar8x32(Avx2.PackSignedSaturate(Avx2.PackSignedSaturate(c0, c1), Avx2.PackSignedSaturate(c2, c3)).AsInt32(), order).AsSByte();
            codes.Store(q + 32 * b);
            int sum = SumCodes(codes);
            d[b] = Fp16.ToSingle(Fp16.FromSingle(dd));
            if (s != null) s[b] = Fp16.ToSingle(Fp16.FromSingle(dd * sum));
            if (ds != null) ds[b] = d[b] * sum;
        }
    }

    /// <summary>
    /// <see cref="Q8_KRow"/> in eight lanes, the same numbers: the max ignores NaNs as the scalar's
    /// comparison does, the first element of that magnitude gives the sign, codes through the same
    /// 1.5·2^23 rounding.
    /// </summary>
    public static void Q8_KRowVector(float* x, int n, sbyte* q, float* d, short* bsums)
    {
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        for (int b = 0; b < n / 256; b++)
        {
            float* xb = x + 256 * b;
            sbyte* qb = q + 256 * b;
            var acc = Vector256<float>.Zero;
            for (int i = 0; i < 256; i += 8) acc = Avx.Max(Vector256.Abs(Vector256.Load(xb + i)), acc); // a NaN lane keeps acc
            var m4 = Sse.Max(acc.GetLower(), acc.GetUpper());
            m4 = Sse.Max(m4, Sse.Shuffle(m4, m4, 0b01_00_11_10));
            m4 = Sse.Max(m4, Sse.Shuffle(m4, m4, 0b10_11_00_01));
            float amax = m4.ToScalar();
            if (amax == 0f)
            {
                d[b] = 0f;
                new Span<sbyte>(qb, 256).Clear();
                new Span<short>(bsums + 16 * b, 16).Clear();
                continue;
            }
            var va = Vector256.Create(amax);
            float max = 0f;
            for (int i = 0; i < 256; i += 8)
            {
                uint hit = Vector256.Equals(Vector256.Abs(Vector256.Load(xb + i)), va).ExtractMostSignificantBits();
                if (hit == 0) continue;
                max = xb[i + BitOperations.TrailingZeroCount(hit)];
                break;
            }
            float iscale = -127f / max;
            var vs = Vector256.Create(iscale);
            var magic = Vector256.Create(12582912f);
            var low = Vector256.Create(0x007FFFFF);
            var half = Vector256.Create(0x00400000);
            var top = Vector256.Create(127);
            for (int i = 0; i < 256; i += 32)
            {
                var c0 = Vector256.Min((((Vector256.Load(xb + i) * vs) + magic).AsInt32() & low) - half, top);
                var c1 = Vector256.Min((((Vector256.Load(xb + i + 8) * vs) + magic).AsInt32() & low) - half, top);
                var c2 = Vector256.Min((((Vector256.Load(xb + i + 16) * vs) + magic).AsInt32() & low) - half, top);
                var c3 = Vector256.Min((((Vector256.Load(xb + i + 24) * vs) + magic).AsInt32() & low) - half, top);
                var codes = Avx2.PermuteVar8x32(Avx2.PackSignedSaturate(Avx2.PackSignedSaturate(c0, c1), Avx2.PackSignedSaturate(c2, c3)).AsInt32(), order).AsSByte();
                codes.Store(qb + i);
                var sad = Avx2.SumAbsoluteDifferences((codes.AsByte() ^ Vector256.Create((byte)0x80)), Vector256<byte>.Zero).AsInt64();
                bsums[16 * b + i / 16] = (short)(sad[0] + sad[1] - 16 * 128);
                bsums[16 * b + i / 16 + 1] = (short)(sad[2] + sad[3] - 16 * 128);
            }
            d[b] = 1f / iscale;
        }
    }

    /// <summary>Σ of 32 int8 codes: biased to unsigned, summed against zero by psadbw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SumCodes(Vector256<sbyte> codes)
    {
        var sad = Avx2.SumAbsoluteDifferences(codes.AsByte() ^ Vector256.Create((byte)0x80), Vector256<byte>.Zero).AsInt64();
        return (int)(sad[0] + sad[1] + sad[2] + sad[3]) - 32 * 128;
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

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>A float weight type as the 128-bit kernels read it: eight weights at a time as two float vectors.</summary>
internal unsafe interface IFloatRow128 : IRowDot
{
    /// <summary>Weights i..i+7 of the row at <paramref name="w"/>, exactly as floats.</summary>
    static abstract void Load8(byte* w, int i, out Vector128<float> lo, out Vector128<float> hi);

    /// <summary>Weight i, exactly as a float.</summary>
    static abstract float At(byte* w, int i);
}

/// <summary>
/// The 128-bit kernel of the float types (ARM64 NEON, or x86 without AVX2): fused multiply-adds in four lanes, two
/// accumulators a token; eight weights are converted once for the four tokens of a tile.
/// </summary>
internal static unsafe class FloatRow128
{
    public static void Tile<T>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where T : IFloatRow128
    {
        int cols = a->Cols;
        float* x = a->F + (nint)t0 * cols;
        if (count == 4)
        {
            Dot4<T>(w, x, cols, y, yStride);
            return;
        }
        for (int i = 0; i < count; i++) y[i * yStride] = Dot1<T>(w, x + (nint)i * cols, cols);
    }

    private static float Dot1<T>(byte* w, float* x, int n) where T : IFloatRow128
    {
        var a = Vector128<float>.Zero;
        var b = Vector128<float>.Zero;
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            T.Load8(w, i, out var w0, out var w1);
            a = V128.MultiplyAdd(w0, Vector128.Load(x + i), a);
            b = V128.MultiplyAdd(w1, Vector128.Load(x + i + 4), b);
        }
        float sum = Vector128.Sum(a + b);
        for (; i < n; i++) sum += T.At(w, i) * x[i];
        return sum;
    }

    private static void Dot4<T>(byte* w, float* x, int n, float* y, nint yStride) where T : IFloatRow128
    {
        float* x1 = x + n, x2 = x1 + n, x3 = x2 + n;
        var a0 = Vector128<float>.Zero; var b0 = Vector128<float>.Zero;
        var a1 = Vector128<float>.Zero; var b1 = Vector128<float>.Zero;
        var a2 = Vector128<float>.Zero; var b2 = Vector128<float>.Zero;
        var a3 = Vector128<float>.Zero; var b3 = Vector128<float>.Zero;
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            T.Load8(w, i, out var w0, out var w1);
            a0 = V128.MultiplyAdd(w0, Vector128.Load(x + i), a0);
            b0 = V128.MultiplyAdd(w1, Vector128.Load(x + i + 4), b0);
            a1 = V128.MultiplyAdd(w0, Vector128.Load(x1 + i), a1);
            b1 = V128.MultiplyAdd(w1, Vector128.Load(x1 + i + 4), b1);
            a2 = V128.MultiplyAdd(w0, Vector128.Load(x2 + i), a2);
            b2 = V128.MultiplyAdd(w1, Vector128.Load(x2 + i + 4), b2);
            a3 = V128.MultiplyAdd(w0, Vector128.Load(x3 + i), a3);
            b3 = V128.MultiplyAdd(w1, Vector128.Load(x3 + i + 4), b3);
        }
        float s0 = Vector128.Sum(a0 + b0), s1 = Vector128.Sum(a1 + b1), s2 = Vector128.Sum(a2 + b2), s3 = Vector128.Sum(a3 + b3);
        for (; i < n; i++)
        {
            float wi = T.At(w, i);
            s0 += wi * x[i];
            s1 += wi * x1[i];
            s2 += wi * x2[i];
            s3 += wi * x3[i];
        }
        y[0] = s0;
        y[yStride] = s1;
        y[2 * yStride] = s2;
        y[3 * yStride] = s3;
    }

    /// <summary>
    /// Four fp16 bit patterns as floats, exactly: the exponent and mantissa shifted into a float's place read as the
    /// value times 2^−112 (subnormal halves included), so one multiply by 2^112 rebiases them; infinities and NaNs,
    /// whose exponent is all ones, are rebuilt apart; the sign goes back last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> HalfToSingle(Vector128<uint> h)
    {
        var magnitude = Vector128.ShiftLeft(h & Vector128.Create(0x7FFFu), 13);
        var finite = (magnitude.AsSingle() * Vector128.Create(ActivationQuantizer.F16Scale)).AsUInt32();
        var special = Vector128.Equals(h & Vector128.Create(0x7C00u), Vector128.Create(0x7C00u));
        var r = Vector128.ConditionalSelect(special, magnitude | Vector128.Create(0x7F800000u), finite);
        return (r | Vector128.ShiftLeft(h & Vector128.Create(0x8000u), 16)).AsSingle();
    }
}

internal unsafe partial struct F32Dot : IFloatRow128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load8(byte* w, int i, out Vector128<float> lo, out Vector128<float> hi)
    {
        lo = Vector128.Load((float*)w + i);
        hi = Vector128.Load((float*)w + i + 4);
    }

    public static float At(byte* w, int i) => ((float*)w)[i];
}

internal unsafe partial struct F16Dot : IFloatRow128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load8(byte* w, int i, out Vector128<float> lo, out Vector128<float> hi)
    {
        var h = Vector128.Load((ushort*)w + i);
        lo = FloatRow128.HalfToSingle(Vector128.WidenLower(h));
        hi = FloatRow128.HalfToSingle(Vector128.WidenUpper(h));
    }

    public static float At(byte* w, int i) => Fp16.ToSingle(((ushort*)w)[i]);
}

internal unsafe partial struct BF16Dot : IFloatRow128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load8(byte* w, int i, out Vector128<float> lo, out Vector128<float> hi)
    {
        var h = Vector128.Load((ushort*)w + i);
        lo = Vector128.ShiftLeft(Vector128.WidenLower(h), 16).AsSingle();
        hi = Vector128.ShiftLeft(Vector128.WidenUpper(h), 16).AsSingle();
    }

    public static float At(byte* w, int i) => BitConverter.UInt32BitsToSingle((uint)((ushort*)w)[i] << 16);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

// Vector kernels of the float types: fused multiply-adds in eight lanes, two accumulators. A row of
// 2048 F16 values is 4 KiB and stays in L1 while the tile's tokens pass over it.

internal unsafe partial struct F32Dot
{
    public static void Tile(byte* w, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols;
        for (int i = 0; i < count; i++) y[i * yStride] = Gemm.Dot((float*)w, a->F + (nint)(t0 + i) * cols, cols);
    }
}

internal unsafe partial struct F16Dot
{
    /// <summary>The AVX-512 form: sixteen weights widened at a time, one token after another.</summary>
    public static void TileWide(byte* w, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols;
        for (int i = 0; i < count; i++) y[i * yStride] = Dot1Wide((ushort*)w, a->F + (nint)(t0 + i) * cols, cols);
    }

    /// <summary>The AVX2 form (F16C widening, eight lanes).</summary>
    public static void Tile(byte* w, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols;
        int i = 0;
        if (count == 4)
        {
            Dot4((ushort*)w, a->F + (nint)t0 * cols, cols, y, yStride);
            return;
        }
        for (; i < count; i++) y[i * yStride] = Dot1((ushort*)w, a->F + (nint)(t0 + i) * cols, cols);
    }

    /// <summary>
    /// One row against four tokens: each eight weights are converted once for the four. Per token the same
    /// operations in the same order as <see cref="Dot1"/>, so the results are the same bits.
    /// </summary>
    private static void Dot4(ushort* h, float* x, int n, float* y, nint yStride)
    {
        float* x1 = x + n, x2 = x1 + n, x3 = x2 + n;
        var a0 = Vector256<float>.Zero; var b0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero; var b1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero; var b2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero; var b3 = Vector256<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Convert16(h + i, out var w0, out var w1);
            a0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x + i), a0);
            b0 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x + i + 8), b0);
            a1 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x1 + i), a1);
            b1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x1 + i + 8), b1);
            a2 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x2 + i), a2);
            b2 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x2 + i + 8), b2);
            a3 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x3 + i), a3);
            b3 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x3 + i + 8), b3);
        }
        float s0 = Vector256.Sum(a0 + b0), s1 = Vector256.Sum(a1 + b1), s2 = Vector256.Sum(a2 + b2), s3 = Vector256.Sum(a3 + b3);
        for (; i < n; i++)
        {
            float wv = Baimo.Tensors.Fp16.ToSingle(h[i]);
            s0 += wv * x[i];
            s1 += wv * x1[i];
            s2 += wv * x2[i];
            s3 += wv * x3[i];
        }
        y[0] = s0;
        y[yStride] = s1;
        y[2 * yStride] = s2;
        y[3 * yStride] = s3;
    }

    /// <summary>
    /// <see cref="Dot1"/> in sixteen lanes: lane j sums the columns j (mod 16), which are <see cref="Dot1"/>'s
    /// two accumulators side by side, and the halves are added and summed as it does — the same bits, with one
    /// widening per sixteen weights instead of two (decoding is bound by this conversion as much as by memory).
    /// </summary>
    private static float Dot1Wide(ushort* h, float* x, int n)
    {
        var acc = Vector512<float>.Zero;
        var e = Vector256.Create((ushort)0x7C00);
        var mask = Vector512.Create(unchecked((int)0x8FFFE000));
        var scale = Vector512.Create(BitConverter.UInt32BitsToSingle(0x77800000u)); // 2^112
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var raw = Vector256.Load(h + i);
            Vector512<float> w;
            if ((Vector256.Equals(raw & e, e)) == Vector256<ushort>.Zero)
                w = (Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(raw.AsInt16()), 13) & mask).AsSingle() * scale;
            else
                w = Vector512.Create(ToSingle(raw.GetLower()), ToSingle(raw.GetUpper()));
            acc = Vector512.FusedMultiplyAdd(w, Vector512.Load(x + i), acc);
        }
        float sum = Vector256.Sum(acc.GetLower() + acc.GetUpper());
        for (; i < n; i++) sum += Baimo.Tensors.Fp16.ToSingle(h[i]) * x[i];
        return sum;
    }

    private static float Dot1(ushort* h, float* x, int n)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Convert16(h + i, out var w0, out var w1);
            acc0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x + i), acc0);
            acc1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x + i + 8), acc1);
        }
        float sum = Vector256.Sum(acc0 + acc1);
        for (; i < n; i++) sum += Baimo.Tensors.Fp16.ToSingle(h[i]) * x[i];
        return sum;
    }

    /// <summary>
    /// Sixteen fp16 → fp32, exactly. When none is infinite or NaN (the usual case, one test for the
    /// sixteen) each eight take four operations: sign-extended and shifted left by 13 the magnitude sits
    /// 2^−112 too small in a float (subnormals included), the sign copies above it are masked off but the
    /// top one, a multiply by 2^112 rescales. Otherwise <see cref="ToSingle"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Convert16(ushort* h, out Vector256<float> w0, out Vector256<float> w1)
    {
        var e = Vector256.Create((ushort)0x7C00);
        if ((Vector256.Equals(Vector256.Load(h) & e, e)) == Vector256<ushort>.Zero)
        {
            var mask = Vector256.Create(unchecked((int)0x8FFFE000));
            var scale = Vector256.Create(BitConverter.UInt32BitsToSingle(0x77800000u)); // 2^112
            w0 = (Vector256.ShiftLeft(Avx2.ConvertToVector256Int32((short*)h), 13) & mask).AsSingle() * scale;
            w1 = (Vector256.ShiftLeft(Avx2.ConvertToVector256Int32((short*)h + 8), 13) & mask).AsSingle() * scale;
            return;
        }
        w0 = ToSingle(Vector128.Load(h));
        w1 = ToSingle(Vector128.Load(h + 8));
    }

    /// <summary>
    /// Eight fp16 → fp32, exactly: the magnitude bits shifted into place read as a float 2^−112 too small
    /// (subnormals included), one multiply by 2^112 fixes that; infinities and NaNs (exponent 31) take the
    /// all-ones exponent instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ToSingle(Vector128<ushort> h)
    {
        var u = Avx2.ConvertToVector256Int32(h).AsUInt32();
        var sign = Vector256.ShiftLeft(u & Vector256.Create(0x8000u), 16);
        var mag = Vector256.ShiftLeft(u & Vector256.Create(0x7FFFu), 13);
        var scaled = mag.AsSingle() * Vector256.Create(BitConverter.UInt32BitsToSingle(0x77800000u)); // 2^112
        var special = Vector256.Equals(u & Vector256.Create(0x7C00u), Vector256.Create(0x7C00u));
        var inf = (mag | Vector256.Create(0x7F800000u)).AsSingle();
        return (Vector256.ConditionalSelect(special.AsSingle(), inf, scaled).AsUInt32() | sign).AsSingle();
    }
}

internal unsafe partial struct BF16Dot
{
    public static void Tile(byte* w, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols;
        if (count == 4)
        {
            Dot4((ushort*)w, a->F + (nint)t0 * cols, cols, y, yStride);
            return;
        }
        for (int i = 0; i < count; i++) y[i * yStride] = Dot1((ushort*)w, a->F + (nint)(t0 + i) * cols, cols);
    }

    /// <summary>One row against four tokens, each token exactly as <see cref="Dot1"/> computes it.</summary>
    private static void Dot4(ushort* h, float* x, int n, float* y, nint yStride)
    {
        float* x1 = x + n, x2 = x1 + n, x3 = x2 + n;
        var a0 = Vector256<float>.Zero; var b0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero; var b1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero; var b2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero; var b3 = Vector256<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var w0 = Vector256.ShiftLeft(Avx2.ConvertToVector256Int32(Vector128.Load(h + i)).AsUInt32(), 16).AsSingle();
            var w1 = Vector256.ShiftLeft(Avx2.ConvertToVector256Int32(Vector128.Load(h + i + 8)).AsUInt32(), 16).AsSingle();
            a0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x + i), a0);
            b0 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x + i + 8), b0);
            a1 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x1 + i), a1);
            b1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x1 + i + 8), b1);
            a2 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x2 + i), a2);
            b2 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x2 + i + 8), b2);
            a3 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x3 + i), a3);
            b3 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x3 + i + 8), b3);
        }
        float s0 = Vector256.Sum(a0 + b0), s1 = Vector256.Sum(a1 + b1), s2 = Vector256.Sum(a2 + b2), s3 = Vector256.Sum(a3 + b3);
        for (; i < n; i++)
        {
            float wv = BitConverter.UInt32BitsToSingle((uint)h[i] << 16);
            s0 += wv * x[i];
            s1 += wv * x1[i];
            s2 += wv * x2[i];
            s3 += wv * x3[i];
        }
        y[0] = s0;
        y[yStride] = s1;
        y[2 * yStride] = s2;
        y[3 * yStride] = s3;
    }

    private static float Dot1(ushort* h, float* x, int n)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var w0 = Vector256.ShiftLeft(Avx2.ConvertToVector256Int32(Vector128.Load(h + i)).AsUInt32(), 16).AsSingle();
            var w1 = Vector256.ShiftLeft(Avx2.ConvertToVector256Int32(Vector128.Load(h + i + 8)).AsUInt32(), 16).AsSingle();
            acc0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x + i), acc0);
            acc1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x + i + 8), acc1);
        }
        float sum = Vector256.Sum(acc0 + acc1);
        for (; i < n; i++) sum += BitConverter.UInt32BitsToSingle((uint)h[i] << 16) * x[i];
        return sum;
    }
}

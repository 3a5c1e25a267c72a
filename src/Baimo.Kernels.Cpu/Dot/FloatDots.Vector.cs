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
    public static void Tile(byte* w, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols;
        for (int i = 0; i < count; i++) y[i * yStride] = Dot1((ushort*)w, a->F + (nint)(t0 + i) * cols, cols);
    }

    private static float Dot1(ushort* h, float* x, int n)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            acc0 = Vector256.FusedMultiplyAdd(ToSingle(Vector128.Load(h + i)), Vector256.Load(x + i), acc0);
            acc1 = Vector256.FusedMultiplyAdd(ToSingle(Vector128.Load(h + i + 8)), Vector256.Load(x + i + 8), acc1);
        }
        float sum = Vector256.Sum(acc0 + acc1);
        for (; i < n; i++) sum += Baimo.Tensors.Fp16.ToSingle(h[i]) * x[i];
        return sum;
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
        for (int i = 0; i < count; i++) y[i * yStride] = Dot1((ushort*)w, a->F + (nint)(t0 + i) * cols, cols);
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

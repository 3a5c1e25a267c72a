using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_0Dot
{
    // The 512-bit form (AVX-512 BW): sixteen rows a group, one 512-bit vector where the 256-bit form uses one of
    // 256 bits, so a tile issues half the instructions for the same products. Packed block of a group (288
    // bytes, the sixteen rows' size): the rows' fp16 d, then four 64-byte vectors; vector k holds qs[4k..4k+3] of
    // row r in lane r. Arithmetic as the 256-bit form: unsigned nibbles against the signed activation codes, the
    // eight byte-product pairs of a block kept as int16 (8·2·15·127 fits), one widening per block, and the −8
    // back through the activations' block sums.

    /// <summary>Rows per group of the 512-bit form.</summary>
    public const int WideRows = 16;

    /// <summary>Bytes of one block of a group in the 512-bit form.</summary>
    public const int WideBlock = WideRows * BlockBytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroupWide(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += WideBlock)
        {
            byte* s = src + b * BlockBytes;
            for (int r = 0; r < WideRows; r++)
            {
                ushort d = *(ushort*)(s + r * rowBytes);
                finite &= PackedKernel.Finite(d);
                ((ushort*)dst)[r] = d;
                for (int k = 0; k < 4; k++) *(uint*)(dst + 32 + 64 * k + 4 * r) = *(uint*)(s + r * rowBytes + 2 + 4 * k);
            }
        }
        return finite;
    }

    /// <summary>Sixteen finite fp16 at p as floats, exactly (as <see cref="PackedKernel.Halves"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Halves16(byte* p)
    {
        var v = Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(Vector256.Load((short*)p)), 13) & Vector512.Create(unchecked((int)0x8FFFE000));
        return v.AsSingle() * Vector512.Create(BitConverter.UInt32BitsToSingle(0x77800000u)); // 2^112
    }

    /// <summary>Four bytes at p in every 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<sbyte> Broadcast16(sbyte* p) => Vector512.Create(*(int*)p).AsSByte();

    /// <summary>p + the byte products of step k (low and high nibbles) with the activation codes at x (the block's first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Step(Vector512<short> p, Vector512<byte> lo, Vector512<byte> hi, sbyte* x, int k) =>
        p + Avx512BW.MultiplyAddAdjacent(lo, Broadcast16(x + 4 * k)) + Avx512BW.MultiplyAddAdjacent(hi, Broadcast16(x + 16 + 4 * k));

    /// <summary>f + one block's result for sixteen rows: the widened sums times d_w·d_x, then −8·d_w·(d_x·Σcode).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Finish(Vector512<short> p, Vector512<float> dw, Vector512<float> dwo, float dx, float ds, Vector512<float> f)
    {
        var i = Avx512BW.MultiplyAddAdjacent(p, Vector512.Create((short)1));
        f = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(i), dw * Vector512.Create(dx), f);
        return Vector512.FusedMultiplyAdd(dwo, Vector512.Create(ds), f);
    }

    /// <summary>Step k's low and high nibbles of the packed block g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Nibbles16(byte* g, int k, out Vector512<byte> lo, out Vector512<byte> hi)
    {
        var m = Vector512.Create((byte)0x0F);
        var raw = Vector512.Load(g + 32 + 64 * k);
        lo = raw & m;
        hi = Vector512.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
    }

    /// <summary>
    /// One group of sixteen rows against a tile of tokens (y[i·yStride + r], r &lt; 16, i &lt; count ≤ 8). Every tile
    /// size adds a token's blocks in the same order with the same operations: batching does not change a result.
    /// </summary>
    public static void WideTile(byte* g, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols, nb = cols / 32;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        float* s = a->DS + (nint)t0 * nb;
        int i = 0;
        for (; i + 4 <= count; i += 4)
            Wide4(g, q + (nint)i * cols, d + i * nb, s + i * nb, cols, nb, y + i * yStride, yStride);
        for (; i < count; i++)
            Wide1(g, q + (nint)i * cols, d + i * nb, s + i * nb, nb, y + i * yStride);
    }

    private static void Wide1(byte* g, sbyte* q, float* dx, float* ds, int nb, float* y)
    {
        var f0 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            sbyte* x = q + 32 * b;
            var p0 = Vector512<short>.Zero;
            for (int k = 0; k < 4; k++)
            {
                Nibbles16(g, k, out var lo, out var hi);
                p0 = Step(p0, lo, hi, x, k);
            }
            var dw = Halves16(g);
            f0 = Finish(p0, dw, dw * Vector512.Create(-8f), dx[b], ds[b], f0);
        }
        f0.Store(y);
    }

    private static void Wide4(byte* g, sbyte* q0, float* dx, float* ds, int cols, int nb, float* y, nint yStride)
    {
        var f0 = Vector512<float>.Zero;
        var f1 = Vector512<float>.Zero;
        var f2 = Vector512<float>.Zero;
        var f3 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            sbyte* x = q0 + 32 * b;
            var p0 = Vector512<short>.Zero; var p1 = Vector512<short>.Zero; var p2 = Vector512<short>.Zero; var p3 = Vector512<short>.Zero;
            for (int k = 0; k < 4; k++)
            {
                Nibbles16(g, k, out var lo, out var hi);
                p0 = Step(p0, lo, hi, x, k);
                p1 = Step(p1, lo, hi, x + cols, k);
                p2 = Step(p2, lo, hi, x + 2 * cols, k);
                p3 = Step(p3, lo, hi, x + 3 * cols, k);
            }
            var dw = Halves16(g);
            var dwo = dw * Vector512.Create(-8f);
            f0 = Finish(p0, dw, dwo, dx[b], ds[b], f0);
            f1 = Finish(p1, dw, dwo, dx[nb + b], ds[nb + b], f1);
            f2 = Finish(p2, dw, dwo, dx[2 * nb + b], ds[2 * nb + b], f2);
            f3 = Finish(p3, dw, dwo, dx[3 * nb + b], ds[3 * nb + b], f3);
        }
        f0.Store(y);
        f1.Store(y + yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }
}

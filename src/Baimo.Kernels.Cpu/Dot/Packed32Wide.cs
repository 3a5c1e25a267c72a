using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// The 512-bit form of the packed 32-value block kernels (AVX-512 BW, no VNNI): sixteen rows a group, the same
/// arithmetic as <see cref="Packed32{T}"/> with one 64-byte vector where that has a 32-byte one, so a tile issues
/// half the instructions. For the unsigned-code types (Q4_0, Q4_1, Q5_0, Q5_1); the layout is described by the
/// type's offsets (<see cref="IPacked32.WideHighAt"/>).
/// </summary>
internal static unsafe class Packed32Wide<T> where T : IPacked32
{
    /// <summary>Rows per group.</summary>
    public const int Rows = 16;

    /// <summary>Bytes of one block of a group (the sixteen rows' bytes).</summary>
    public static int Block => Rows * T.BlockBytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += Block)
        {
            byte* s = src + b * T.BlockBytes;
            finite &= Packed32Parts.Halves(s, rowBytes, 0, dst, Rows);
            if (T.MinAt >= 0) finite &= Packed32Parts.Halves(s, rowBytes, T.MinAt, dst + 32, Rows);
            if (T.HighAt >= 0) Packed32Parts.FifthBits(s, rowBytes, T.HighAt, dst + T.WideHighAt, Rows);
            for (int r = 0; r < Rows; r++)
                for (int k = 0; k < 4; k++)
                    *(uint*)(dst + T.WideCodesAt + 64 * k + 4 * r) = *(uint*)(s + r * rowBytes + T.CodesAt + 4 * k);
        }
        return finite;
    }

    /// <summary>
    /// One group of sixteen rows against a tile of tokens (y[i·yStride + r], r &lt; 16, i &lt; count ≤ 8). Every tile
    /// size adds a token's blocks in the same order with the same operations: batching does not change a result.
    /// </summary>
    public static void Tile(byte* g, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols, nb = cols / 32;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        float* s = T.Sums(a) + (nint)t0 * nb;
        int i = 0;
        for (; i + 4 <= count; i += 4)
            Wide4(g, q + (nint)i * cols, d + i * nb, s + i * nb, cols, nb, y + i * yStride, yStride);
        for (; i < count; i++)
            Wide1(g, q + (nint)i * cols, d + i * nb, s + i * nb, nb, y + i * yStride);
    }

    /// <summary>Step k's low and high codes of the packed block g (nibbles, plus 16 where a fifth bit is set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Codes(byte* g, int k, out Vector512<byte> lo, out Vector512<byte> hi)
    {
        var m = Vector512.Create((byte)0x0F);
        var raw = Vector512.Load(g + T.WideCodesAt + 64 * k);
        lo = raw & m;
        hi = Vector512.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
        if (T.WideHighAt >= 0)
        {
            // As Packed32Parts.AddFifth: bit k (low) and 4 + k (high) of every byte to bit 4.
            var bits = Vector512.Load((uint*)(g + T.WideHighAt));
            var sixteen = Vector512.Create((byte)0x10);
            lo |= Vector512.ShiftLeft(bits, 4 - k).AsByte() & sixteen;
            hi |= Vector512.ShiftRightLogical(bits, k).AsByte() & sixteen;
        }
    }

    /// <summary>p + step k's byte products with the activation codes at x (the block's first), as int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Step(Vector512<short> p, Vector512<byte> lo, Vector512<byte> hi, sbyte* x, int k) =>
        p + Avx512BW.MultiplyAddAdjacent(lo, Vector512.Create(*(int*)(x + 4 * k)).AsSByte())
          + Avx512BW.MultiplyAddAdjacent(hi, Vector512.Create(*(int*)(x + 16 + 4 * k)).AsSByte());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Widen(Vector512<short> p) => Avx512BW.MultiplyAddAdjacent(p, Vector512.Create((short)1));

    /// <summary>The term meeting the activations' block sum: the block's minimum, or d·offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Min(byte* g, Vector512<float> dw) => T.MinAt >= 0 ? PackedKernel.Halves16(g + 32) : dw * Vector512.Create(T.Offset);

    /// <summary>f + one block's result for sixteen rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Finish(Vector512<int> i, Vector512<float> dw, Vector512<float> min, float dx, float sx, Vector512<float> f)
    {
        f = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(i), dw * Vector512.Create(dx), f);
        return Vector512.FusedMultiplyAdd(min, Vector512.Create(sx), f);
    }

    private static void Wide1(byte* g, sbyte* q, float* dx, float* sx, int nb, float* y)
    {
        var f0 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += Block)
        {
            sbyte* x = q + 32 * b;
            // The four steps written out: the fifth-bit shifts become constants.
            Codes(g, 0, out var lo, out var hi);
            var p0 = Step(Vector512<short>.Zero, lo, hi, x, 0);
            Codes(g, 1, out lo, out hi);
            p0 = Step(p0, lo, hi, x, 1);
            var i0 = Vector512<int>.Zero;
            if (T.WidenTwice)
            {
                i0 = Widen(p0);
                p0 = Vector512<short>.Zero;
            }
            Codes(g, 2, out lo, out hi);
            p0 = Step(p0, lo, hi, x, 2);
            Codes(g, 3, out lo, out hi);
            p0 = Step(p0, lo, hi, x, 3);
            i0 += Widen(p0);
            var dw = PackedKernel.Halves16(g);
            f0 = Finish(i0, dw, Min(g, dw), dx[b], sx[b], f0);
        }
        f0.Store(y);
    }

    private static void Wide4(byte* g, sbyte* q0, float* dx, float* sx, int cols, int nb, float* y, nint yStride)
    {
        var f0 = Vector512<float>.Zero;
        var f1 = Vector512<float>.Zero;
        var f2 = Vector512<float>.Zero;
        var f3 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += Block)
        {
            sbyte* x = q0 + 32 * b;
            var p0 = Vector512<short>.Zero; var p1 = Vector512<short>.Zero; var p2 = Vector512<short>.Zero; var p3 = Vector512<short>.Zero;
            var i0 = Vector512<int>.Zero; var i1 = Vector512<int>.Zero; var i2 = Vector512<int>.Zero; var i3 = Vector512<int>.Zero;
            Steps4(g, x, cols, 0, ref p0, ref p1, ref p2, ref p3);
            Steps4(g, x, cols, 1, ref p0, ref p1, ref p2, ref p3);
            if (T.WidenTwice)
            {
                i0 = Widen(p0); i1 = Widen(p1); i2 = Widen(p2); i3 = Widen(p3);
                p0 = p1 = p2 = p3 = Vector512<short>.Zero;
            }
            Steps4(g, x, cols, 2, ref p0, ref p1, ref p2, ref p3);
            Steps4(g, x, cols, 3, ref p0, ref p1, ref p2, ref p3);
            i0 += Widen(p0); i1 += Widen(p1); i2 += Widen(p2); i3 += Widen(p3);
            var dw = PackedKernel.Halves16(g);
            var min = Min(g, dw);
            f0 = Finish(i0, dw, min, dx[b], sx[b], f0);
            f1 = Finish(i1, dw, min, dx[nb + b], sx[nb + b], f1);
            f2 = Finish(i2, dw, min, dx[2 * nb + b], sx[2 * nb + b], f2);
            f3 = Finish(i3, dw, min, dx[3 * nb + b], sx[3 * nb + b], f3);
        }
        f0.Store(y);
        f1.Store(y + yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }

    /// <summary>Step k for four tokens (x: the first token's block, the others cols apart), the codes made once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Steps4(byte* g, sbyte* x, nint cols, int k, ref Vector512<short> p0, ref Vector512<short> p1, ref Vector512<short> p2, ref Vector512<short> p3)
    {
        Codes(g, k, out var lo, out var hi);
        p0 = Step(p0, lo, hi, x, k);
        p1 = Step(p1, lo, hi, x + cols, k);
        p2 = Step(p2, lo, hi, x + 2 * cols, k);
        p3 = Step(p3, lo, hi, x + 3 * cols, k);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q8_0Dot
{
    // The 512-bit form (AVX-512 BW, no VNNI): sixteen rows a group. Packed block of a group (544 bytes, the sixteen
    // rows' size): the rows' fp16 d, then eight 64-byte vectors; vector k holds codes 4k..4k+3 of row r in lane r,
    // stored as they are. Products as |w|·(x with w's sign) (|w| once per vector for the whole tile), each step's
    // int16 pairs widened at once (two products of 127·127 fill an int16).

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
                for (int k = 0; k < 8; k++) *(uint*)(dst + 32 + 64 * k + 4 * r) = *(uint*)(s + r * rowBytes + 2 + 4 * k);
            }
        }
        return finite;
    }

    /// <summary>
    /// acc + Σ |w|·(x with w's sign) over step k's four codes (x: the block's first activation code; negative: w's
    /// sign bits as a mask, AVX-512 having no byte sign instruction).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Step(Vector512<int> acc, Vector512<byte> abs, Vector512<sbyte> negative, sbyte* x, int k)
    {
        var v = Vector512.Create(*(int*)(x + 4 * k)).AsSByte();
        var xs = Vector512.ConditionalSelect(negative, -v, v);
        return acc + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(abs, xs), Vector512.Create((short)1));
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
        int i = 0;
        for (; i + 4 <= count; i += 4)
            Wide4(g, q + (nint)i * cols, d + i * nb, cols, nb, y + i * yStride, yStride);
        for (; i < count; i++)
            Wide1(g, q + (nint)i * cols, d + i * nb, nb, y + i * yStride);
    }

    private static void Wide1(byte* g, sbyte* q, float* dx, int nb, float* y)
    {
        var f0 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            sbyte* x = q + 32 * b;
            var i0 = Vector512<int>.Zero;
            for (int k = 0; k < 8; k++)
            {
                var w = Vector512.Load((sbyte*)(g + 32 + 64 * k));
                i0 = Step(i0, Vector512.Abs(w).AsByte(), Vector512.LessThan(w, Vector512<sbyte>.Zero), x, k);
            }
            f0 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(i0), PackedKernel.Halves16(g) * Vector512.Create(dx[b]), f0);
        }
        f0.Store(y);
    }

    private static void Wide4(byte* g, sbyte* q0, float* dx, int cols, int nb, float* y, nint yStride)
    {
        var f0 = Vector512<float>.Zero;
        var f1 = Vector512<float>.Zero;
        var f2 = Vector512<float>.Zero;
        var f3 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            sbyte* x = q0 + 32 * b;
            var i0 = Vector512<int>.Zero; var i1 = Vector512<int>.Zero; var i2 = Vector512<int>.Zero; var i3 = Vector512<int>.Zero;
            for (int k = 0; k < 8; k++)
            {
                var w = Vector512.Load((sbyte*)(g + 32 + 64 * k));
                var abs = Vector512.Abs(w).AsByte();
                var negative = Vector512.LessThan(w, Vector512<sbyte>.Zero);
                i0 = Step(i0, abs, negative, x, k);
                i1 = Step(i1, abs, negative, x + cols, k);
                i2 = Step(i2, abs, negative, x + 2 * cols, k);
                i3 = Step(i3, abs, negative, x + 3 * cols, k);
            }
            var dw = PackedKernel.Halves16(g);
            f0 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(i0), dw * Vector512.Create(dx[b]), f0);
            f1 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(i1), dw * Vector512.Create(dx[nb + b]), f1);
            f2 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(i2), dw * Vector512.Create(dx[2 * nb + b]), f2);
            f3 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(i3), dw * Vector512.Create(dx[3 * nb + b]), f3);
        }
        f0.Store(y);
        f1.Store(y + yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q8_0Dot
{
    // Packed block of a group (272 bytes): the 8 rows' fp16 d, then eight 32-byte vectors; vector k holds
    // codes 4k..4k+3 of row r in lane r. With VNNI they are stored + 128 (as unsigned bytes) so that they can
    // be the unsigned operand of the multiply-add, and the +128 comes back as −128·d_w·(d_x·Σcode) per block,
    // from the activations' block sums; without it they are stored as they are (IInt8Isa.StoredQ8Offset).

    private const int PackedBlock = 272;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup<TIsa>(byte* src, nint rowBytes, int nb, byte* dst) where TIsa : IInt8Isa
    {
        var flip = Vector256.Create((byte)(TIsa.StoredQ8Offset == 0 ? 0 : 0x80));
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += PackedBlock)
        {
            for (int r = 0; r < PackedKernel.GroupRows; r++)
            {
                ushort d = *(ushort*)(src + r * rowBytes + b * BlockBytes);
                finite &= PackedKernel.Finite(d);
                ((ushort*)dst)[r] = d;
            }
            PackedKernel.Interleave(src + b * BlockBytes + 2, rowBytes, 8, dst + 16);
            for (int k = 0; k < 8; k++)
                (Vector256.Load(dst + 16 + 32 * k) ^ flip).Store(dst + 16 + 32 * k);
        }
        return finite;
    }


    /// <summary>
    /// Every tile size accumulates a token's blocks in the same order with the same operations, so a
    /// token's result does not depend on the batch it came in (batched decoding is exact).
    /// </summary>
    public static void PackedTile<TIsa>(byte* g, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 32;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        float* s = a->DS + (nint)t0 * nb;
        int i = 0;
        if (count == 8)
        {
            Packed8<TIsa>(g, q, d, s, cols, nb, y, yStride);
            return;
        }
        if (count >= 4)
        {
            Packed4<TIsa>(g, q, d, s, cols, nb, y, yStride);
            i = 4;
        }
        for (; i < count; i++) Packed1<TIsa>(g, q + (nint)i * cols, d + (nint)i * nb, s + (nint)i * nb, nb, y + i * yStride);
    }

    private static void Packed1<TIsa>(byte* g, sbyte* q, float* dx, float* ds, int nb, float* y) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        int b = 0;
        for (; b + 1 < nb; b += 2, g += 2 * PackedBlock)
        {
            var i0 = Vector256<int>.Zero; var i1 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 8; k++)
            {
                var wk = Vector256.Load(g + 16 + 32 * k);
                nint ok = o + 4 * k;
                i0 = TIsa.DotStoredQ8(i0, wk, PackedKernel.Broadcast4(q + ok));
            }
            for (int k = 0; k < 8; k++)
            {
                var wk1 = Vector256.Load(g + PackedBlock + 16 + 32 * k);
                nint ok1 = o + 32 + 4 * k;
                i1 = TIsa.DotStoredQ8(i1, wk1, PackedKernel.Broadcast4(q + ok1));
            }
            var dw0 = PackedKernel.Halves(g);
            var dw1 = PackedKernel.Halves(g + PackedBlock);
            f0 = Accumulate<TIsa>(i0, dw0, dx[b], ds[b], f0);
            f0 = Accumulate<TIsa>(i1, dw1, dx[b + 1], ds[b + 1], f0);
        }
        if (b < nb)
        {
            var i0 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 8; k++)
            {
                var wk = Vector256.Load(g + 16 + 32 * k);
                nint ok = o + 4 * k;
                i0 = TIsa.DotStoredQ8(i0, wk, PackedKernel.Broadcast4(q + ok));
            }
            var dw0 = PackedKernel.Halves(g);
            f0 = Accumulate<TIsa>(i0, dw0, dx[b], ds[b], f0);
        }
        f0.Store(y);
    }

    private static void Packed4<TIsa>(byte* g, sbyte* q0, float* dx, float* ds, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        sbyte* q1 = q0 + cols;
        sbyte* q2 = q1 + cols;
        sbyte* q3 = q2 + cols;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            var i0 = Vector256<int>.Zero; var i1 = Vector256<int>.Zero; var i2 = Vector256<int>.Zero; var i3 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 8; k++)
            {
                var wk = Vector256.Load(g + 16 + 32 * k);
                nint ok = o + 4 * k;
                i0 = TIsa.DotStoredQ8(i0, wk, PackedKernel.Broadcast4(q0 + ok));
                i1 = TIsa.DotStoredQ8(i1, wk, PackedKernel.Broadcast4(q1 + ok));
                i2 = TIsa.DotStoredQ8(i2, wk, PackedKernel.Broadcast4(q2 + ok));
                i3 = TIsa.DotStoredQ8(i3, wk, PackedKernel.Broadcast4(q3 + ok));
            }
            var dw = PackedKernel.Halves(g);
            f0 = Accumulate<TIsa>(i0, dw, dx[b], ds[b], f0);
            f1 = Accumulate<TIsa>(i1, dw, dx[nb + b], ds[nb + b], f1);
            f2 = Accumulate<TIsa>(i2, dw, dx[2 * nb + b], ds[2 * nb + b], f2);
            f3 = Accumulate<TIsa>(i3, dw, dx[3 * nb + b], ds[3 * nb + b], f3);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }

    private static void Packed8<TIsa>(byte* g, sbyte* q0, float* dx, float* ds, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        var f4 = Vector256<float>.Zero;
        var f5 = Vector256<float>.Zero;
        var f6 = Vector256<float>.Zero;
        var f7 = Vector256<float>.Zero;
        sbyte* q1 = q0 + cols;
        sbyte* q2 = q1 + cols;
        sbyte* q3 = q2 + cols;
        sbyte* q4 = q3 + cols;
        sbyte* q5 = q4 + cols;
        sbyte* q6 = q5 + cols;
        sbyte* q7 = q6 + cols;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            var i0 = Vector256<int>.Zero; var i1 = Vector256<int>.Zero; var i2 = Vector256<int>.Zero; var i3 = Vector256<int>.Zero; var i4 = Vector256<int>.Zero; var i5 = Vector256<int>.Zero; var i6 = Vector256<int>.Zero; var i7 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 8; k++)
            {
                var wk = Vector256.Load(g + 16 + 32 * k);
                nint ok = o + 4 * k;
                i0 = TIsa.DotStoredQ8(i0, wk, PackedKernel.Broadcast4(q0 + ok));
                i1 = TIsa.DotStoredQ8(i1, wk, PackedKernel.Broadcast4(q1 + ok));
                i2 = TIsa.DotStoredQ8(i2, wk, PackedKernel.Broadcast4(q2 + ok));
                i3 = TIsa.DotStoredQ8(i3, wk, PackedKernel.Broadcast4(q3 + ok));
                i4 = TIsa.DotStoredQ8(i4, wk, PackedKernel.Broadcast4(q4 + ok));
                i5 = TIsa.DotStoredQ8(i5, wk, PackedKernel.Broadcast4(q5 + ok));
                i6 = TIsa.DotStoredQ8(i6, wk, PackedKernel.Broadcast4(q6 + ok));
                i7 = TIsa.DotStoredQ8(i7, wk, PackedKernel.Broadcast4(q7 + ok));
            }
            var dw = PackedKernel.Halves(g);
            f0 = Accumulate<TIsa>(i0, dw, dx[b], ds[b], f0);
            f1 = Accumulate<TIsa>(i1, dw, dx[nb + b], ds[nb + b], f1);
            f2 = Accumulate<TIsa>(i2, dw, dx[2 * nb + b], ds[2 * nb + b], f2);
            f3 = Accumulate<TIsa>(i3, dw, dx[3 * nb + b], ds[3 * nb + b], f3);
            f4 = Accumulate<TIsa>(i4, dw, dx[4 * nb + b], ds[4 * nb + b], f4);
            f5 = Accumulate<TIsa>(i5, dw, dx[5 * nb + b], ds[5 * nb + b], f5);
            f6 = Accumulate<TIsa>(i6, dw, dx[6 * nb + b], ds[6 * nb + b], f6);
            f7 = Accumulate<TIsa>(i7, dw, dx[7 * nb + b], ds[7 * nb + b], f7);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
        f4.Store(y + 4 * yStride);
        f5.Store(y + 5 * yStride);
        f6.Store(y + 6 * yStride);
        f7.Store(y + 7 * yStride);
    }

    /// <summary>
    /// f + (float)i·d_w·d_x, then the stored offset's share of the block, −offset·d_w·(d_x·Σcode) (none when the codes are
    /// stored as they are).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate<TIsa>(Vector256<int> i, Vector256<float> dw, float dx, float ds, Vector256<float> f) where TIsa : IInt8Isa
    {
        f = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i), dw * Vector256.Create(dx), f);
        return TIsa.StoredQ8Offset == 0 ? f : Vector256.FusedMultiplyAdd(dw * Vector256.Create(TIsa.StoredQ8Offset), Vector256.Create(ds), f);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_0Dot
{
    // Packed block of a group (144 bytes): the 8 rows' fp16 d, then four 32-byte vectors; vector k holds
    // qs[4k..4k+3] of row r in lane r, i.e. the nibbles of elements 4k..4k+3 (low) and 16+4k..16+4k+3 (high).
    // The nibbles go in unsigned (0..15) against the signed activation codes; the −8 comes back as
    // −8·d_w·(d_x·Σcode) per block, from the activations' block sums.

    private const int PackedBlock = 144;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += PackedBlock)
        {
            for (int r = 0; r < PackedKernel.GroupRows; r++)
            {
                ushort d = *(ushort*)(src + r * rowBytes + b * BlockBytes);
                finite &= PackedKernel.Finite(d);
                ((ushort*)dst)[r] = d;
            }
            PackedKernel.Interleave(src + b * BlockBytes + 2, rowBytes, 4, dst + 16);
        }
        return finite;
    }

    private const float Offset = -8f;

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
        var m = Vector256.Create((byte)0x0F);
        var f0 = Vector256<float>.Zero;
        int b = 0;
        for (; b + 1 < nb; b += 2, g += 2 * PackedBlock)
        {
            var i0 = Vector256<int>.Zero; var i1 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 4; k++)
            {
                var raw = Vector256.Load(g + 16 + 32 * k);
                var lo = raw & m;
                var hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
                nint ol = o + 4 * k, oh = ol + 16;
                i0 = TIsa.DotU8S8x2(i0, lo, PackedKernel.Broadcast4(q + ol), hi, PackedKernel.Broadcast4(q + oh));
            }
            for (int k = 0; k < 4; k++)
            {
                var raw1 = Vector256.Load(g + PackedBlock + 16 + 32 * k);
                var lo1 = raw1 & m;
                var hi1 = Vector256.ShiftRightLogical(raw1.AsUInt16(), 4).AsByte() & m;
                nint ol1 = o + 32 + 4 * k, oh1 = ol1 + 16;
                i1 = TIsa.DotU8S8x2(i1, lo1, PackedKernel.Broadcast4(q + ol1), hi1, PackedKernel.Broadcast4(q + oh1));
            }
            var dw0 = PackedKernel.Halves(g);
            var dw1 = PackedKernel.Halves(g + PackedBlock);
            f0 = Vector256.FusedMultiplyAdd(dw0 * Vector256.Create(Offset), Vector256.Create(ds[b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i0), dw0 * Vector256.Create(dx[b]), f0));
            f0 = Vector256.FusedMultiplyAdd(dw1 * Vector256.Create(Offset), Vector256.Create(ds[b + 1]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i1), dw1 * Vector256.Create(dx[b + 1]), f0));
        }
        if (b < nb)
        {
            var i0 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 4; k++)
            {
                var raw = Vector256.Load(g + 16 + 32 * k);
                var lo = raw & m;
                var hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
                nint ol = o + 4 * k, oh = ol + 16;
                i0 = TIsa.DotU8S8x2(i0, lo, PackedKernel.Broadcast4(q + ol), hi, PackedKernel.Broadcast4(q + oh));
            }
            var dw0 = PackedKernel.Halves(g);
            f0 = Vector256.FusedMultiplyAdd(dw0 * Vector256.Create(Offset), Vector256.Create(ds[b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i0), dw0 * Vector256.Create(dx[b]), f0));
        }
        f0.Store(y);
    }

    private static void Packed4<TIsa>(byte* g, sbyte* q0, float* dx, float* ds, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var m = Vector256.Create((byte)0x0F);
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
            for (int k = 0; k < 4; k++)
            {
                var raw = Vector256.Load(g + 16 + 32 * k);
                var lo = raw & m;
                var hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
                nint ol = o + 4 * k, oh = ol + 16;
                i0 = TIsa.DotU8S8x2(i0, lo, PackedKernel.Broadcast4(q0 + ol), hi, PackedKernel.Broadcast4(q0 + oh));
                i1 = TIsa.DotU8S8x2(i1, lo, PackedKernel.Broadcast4(q1 + ol), hi, PackedKernel.Broadcast4(q1 + oh));
                i2 = TIsa.DotU8S8x2(i2, lo, PackedKernel.Broadcast4(q2 + ol), hi, PackedKernel.Broadcast4(q2 + oh));
                i3 = TIsa.DotU8S8x2(i3, lo, PackedKernel.Broadcast4(q3 + ol), hi, PackedKernel.Broadcast4(q3 + oh));
            }
            var dw = PackedKernel.Halves(g);
            var dwo = dw * Vector256.Create(Offset);
            f0 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i0), dw * Vector256.Create(dx[b]), f0));
            f1 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i1), dw * Vector256.Create(dx[nb + b]), f1));
            f2 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[2 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i2), dw * Vector256.Create(dx[2 * nb + b]), f2));
            f3 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[3 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i3), dw * Vector256.Create(dx[3 * nb + b]), f3));
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }

    private static void Packed8<TIsa>(byte* g, sbyte* q0, float* dx, float* ds, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var m = Vector256.Create((byte)0x0F);
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
            for (int k = 0; k < 4; k++)
            {
                var raw = Vector256.Load(g + 16 + 32 * k);
                var lo = raw & m;
                var hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
                nint ol = o + 4 * k, oh = ol + 16;
                i0 = TIsa.DotU8S8x2(i0, lo, PackedKernel.Broadcast4(q0 + ol), hi, PackedKernel.Broadcast4(q0 + oh));
                i1 = TIsa.DotU8S8x2(i1, lo, PackedKernel.Broadcast4(q1 + ol), hi, PackedKernel.Broadcast4(q1 + oh));
                i2 = TIsa.DotU8S8x2(i2, lo, PackedKernel.Broadcast4(q2 + ol), hi, PackedKernel.Broadcast4(q2 + oh));
                i3 = TIsa.DotU8S8x2(i3, lo, PackedKernel.Broadcast4(q3 + ol), hi, PackedKernel.Broadcast4(q3 + oh));
                i4 = TIsa.DotU8S8x2(i4, lo, PackedKernel.Broadcast4(q4 + ol), hi, PackedKernel.Broadcast4(q4 + oh));
                i5 = TIsa.DotU8S8x2(i5, lo, PackedKernel.Broadcast4(q5 + ol), hi, PackedKernel.Broadcast4(q5 + oh));
                i6 = TIsa.DotU8S8x2(i6, lo, PackedKernel.Broadcast4(q6 + ol), hi, PackedKernel.Broadcast4(q6 + oh));
                i7 = TIsa.DotU8S8x2(i7, lo, PackedKernel.Broadcast4(q7 + ol), hi, PackedKernel.Broadcast4(q7 + oh));
            }
            var dw = PackedKernel.Halves(g);
            var dwo = dw * Vector256.Create(Offset);
            f0 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i0), dw * Vector256.Create(dx[b]), f0));
            f1 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i1), dw * Vector256.Create(dx[nb + b]), f1));
            f2 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[2 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i2), dw * Vector256.Create(dx[2 * nb + b]), f2));
            f3 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[3 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i3), dw * Vector256.Create(dx[3 * nb + b]), f3));
            f4 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[4 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i4), dw * Vector256.Create(dx[4 * nb + b]), f4));
            f5 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[5 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i5), dw * Vector256.Create(dx[5 * nb + b]), f5));
            f6 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[6 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i6), dw * Vector256.Create(dx[6 * nb + b]), f6));
            f7 = Vector256.FusedMultiplyAdd(dwo, Vector256.Create(ds[7 * nb + b]), Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i7), dw * Vector256.Create(dx[7 * nb + b]), f7));
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
}

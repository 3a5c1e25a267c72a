using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q6_KDot
{
    // Packed super-block of a group (1680 bytes, the eight rows' size):
    //   [0, 16) the rows' fp16 d; [16, 144) the int8 scales, [sub-block g][row r];
    //   [144, 1168) ql: for half h, A/B (bytes 0..31 / 32..63 of the half) and k < 8 a 32-byte vector whose
    //   lane r holds ql[64h + 32·B + 4k .. +3] of row r; [1168, 1680) qh: for h and k < 8, lane r holds
    //   qh[32h + 4k .. +3] of row r.
    // Element 128h + 32·quarter + l (l = 4k..4k+3) is (low nibble of A for quarter 0, of B for 1, high
    // nibble of A for 2, of B for 3) | (bits 2·quarter.. of qh) << 4. The codes go in unsigned (0..63); the
    // −32 comes back as −32·Σ_g scale_g·bsum_g, the scales taken two at a time against the activations'
    // 16-value sums (int16 pairs).

    private const int PackedBlock = 1680;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += PackedBlock)
        {
            for (int r = 0; r < PackedKernel.GroupRows; r++)
            {
                byte* s = src + r * rowBytes + b * BlockBytes;
                ushort d = *(ushort*)(s + 208);
                finite &= PackedKernel.Finite(d);
                ((ushort*)dst)[r] = d;
                for (int g = 0; g < 16; g++) dst[16 + 8 * g + r] = s[192 + g];
            }
            byte* s0 = src + b * BlockBytes;
            PackedKernel.Interleave(s0, rowBytes, 16, dst + 144);        // ql, half 0: A then B
            PackedKernel.Interleave(s0 + 64, rowBytes, 16, dst + 656);   // ql, half 1
            PackedKernel.Interleave(s0 + 128, rowBytes, 16, dst + 1168); // qh, both halves
        }
        return finite;
    }

    /// <summary>
    /// Every tile size accumulates a token's super-blocks in the same order with the same operations, so a
    /// token's result does not depend on the batch it came in.
    /// </summary>
    public static void PackedTile<TIsa>(byte* g, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 256;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        short* bs = a->BSums + (nint)t0 * (cols / 16);
        int i = 0;
        for (; i + 4 <= count; i += 4)
            Packed4<TIsa>(g, q + (nint)i * cols, d + i * nb, bs + (nint)i * (cols / 16), cols, nb, y + i * yStride, yStride);
        for (; i < count; i++)
            Packed1<TIsa>(g, q + (nint)i * cols, d + i * nb, bs + (nint)i * (cols / 16), nb, y + i * yStride);
    }

    private static void Packed1<TIsa>(byte* g, sbyte* q0, float* dx, short* bs0, int nb, float* y) where TIsa : IInt8Isa
    {
        var m4 = Vector256.Create((byte)0x0F);
        var m30 = Vector256.Create((byte)0x30);
        var f0 = Vector256<float>.Zero;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            var s0 = Vector256<int>.Zero; var n0 = Vector256<int>.Zero;
            nint o = 256 * b, ob = 16 * b;
            for (int p = 0; p < 8; p++)
            {
                var lo = Avx2.ConvertToVector256Int32((sbyte*)(g + 16 + 16 * p));
                var hi = Avx2.ConvertToVector256Int32((sbyte*)(g + 24 + 16 * p));
                var pair = ((lo & Vector256.Create(0xFFFF)) | Vector256.ShiftLeft(hi, 16)).AsInt16();
                n0 = TIsa.DotI16(n0, pair, Vector256.Create(*(int*)(bs0 + ob + 2 * p)).AsInt16());
            }
            for (int sb = 0; sb < 16; sb++)
            {
                int h = sb >> 3, quarter = (sb >> 1) & 3, kh = sb & 1;
                byte* ql = Ql(g, h, quarter, kh), qh = Qh(g, h, kh);
                int lshift = 4 * (quarter >> 1), hshift = 2 * quarter;
                nint os = o + 16 * sb;
                var i0 = Vector256<int>.Zero;
                // Two steps of k at a time: their byte products add as int16 before one widening (4·63·127 fits).
                for (int k = 0; k < 4; k += 2)
                {
                    var l = Vector256.ShiftRightLogical(Vector256.Load((ushort*)(ql + 32 * k)), lshift).AsByte() & m4;
                    var u = Vector256.ShiftLeft(Vector256.ShiftRightLogical(Vector256.Load((ushort*)(qh + 32 * k)), hshift), 4).AsByte() & m30;
                    var code = l | u;
                    var l2 = Vector256.ShiftRightLogical(Vector256.Load((ushort*)(ql + 32 * k + 32)), lshift).AsByte() & m4;
                    var u2 = Vector256.ShiftLeft(Vector256.ShiftRightLogical(Vector256.Load((ushort*)(qh + 32 * k + 32)), hshift), 4).AsByte() & m30;
                    var code2 = l2 | u2;
                    i0 = TIsa.DotU8S8x2(i0, code, PackedKernel.Broadcast4(q0 + os + 4 * k), code2, PackedKernel.Broadcast4(q0 + os + 4 * k + 4));
                }
                var sc = Scales(g, sb);
                s0 += i0 * sc;
            }
            var d = PackedKernel.Halves(g);
            f0 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s0 - Vector256.ShiftLeft(n0, 5)), d * Vector256.Create(dx[b]), f0);
        }
        f0.Store(y);
    }

    /// <summary>
    /// 32 six-bit codes (four of each of eight rows) of quarter <paramref name="quarter"/>: the low nibbles from ql
    /// (low or high half of each byte), the top two bits from qh moved to bits 4–5. Called with a constant quarter,
    /// so that after inlining every shift is fixed and the no-op ones vanish.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Codes(byte* ql, byte* qh, int quarter)
    {
        var l = Vector256.Load(ql);
        if (quarter >= 2) l = Vector256.ShiftRightLogical(l.AsUInt16(), 4).AsByte();
        var u = Vector256.Load(qh).AsUInt16();
        u = quarter switch
        {
            0 => Vector256.ShiftLeft(u, 4),
            1 => Vector256.ShiftLeft(u, 2),
            2 => u,
            _ => Vector256.ShiftRightLogical(u, 2),
        };
        return (l & Vector256.Create((byte)0x0F)) | (u.AsByte() & Vector256.Create((byte)0x30));
    }

    /// <summary>ql of sub-block 8h + 2·quarter + kh (see the layout above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Ql(byte* g, int h, int quarter, int kh) => g + 144 + 32 * (16 * h + 8 * (quarter & 1) + 4 * kh);

    /// <summary>qh of sub-block 8h + 2·quarter + kh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Qh(byte* g, int h, int kh) => g + 1168 + 32 * (8 * h + 4 * kh);

    /// <summary>The eight rows' int8 scales of sub-block <paramref name="sb"/>, widened.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Scales(byte* g, int sb) => Avx2.ConvertToVector256Int32((sbyte*)(g + 16 + 8 * sb));

    /// <summary>Four tokens' sums.</summary>
    private struct Acc4
    {
        public Vector256<int> S0, S1, S2, S3;
    }

    /// <summary>
    /// s + Σ over the two sub-blocks of (h, quarter) of scale · Σ code·x for four tokens (x0, cols apart), at the
    /// quarter's first element; the codes made once for all four. Two steps of k at a time: their byte products
    /// add as int16 before one widening (4·63·127 fits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter4<TIsa>(byte* g, int h, int quarter, sbyte* x0, nint cols, ref Acc4 s) where TIsa : IInt8Isa
    {
        for (int kh = 0; kh < 2; kh++)
        {
            byte* ql = Ql(g, h, quarter, kh), qh = Qh(g, h, kh);
            sbyte* x = x0 + 16 * kh;
            var i0 = Vector256<int>.Zero; var i1 = Vector256<int>.Zero; var i2 = Vector256<int>.Zero; var i3 = Vector256<int>.Zero;
            for (int k = 0; k < 4; k += 2)
            {
                var code = Codes(ql + 32 * k, qh + 32 * k, quarter);
                var code2 = Codes(ql + 32 * k + 32, qh + 32 * k + 32, quarter);
                sbyte* xk = x + 4 * k;
                i0 = TIsa.DotU8S8x2(i0, code, PackedKernel.Broadcast4(xk), code2, PackedKernel.Broadcast4(xk + 4));
                i1 = TIsa.DotU8S8x2(i1, code, PackedKernel.Broadcast4(xk + cols), code2, PackedKernel.Broadcast4(xk + cols + 4));
                i2 = TIsa.DotU8S8x2(i2, code, PackedKernel.Broadcast4(xk + 2 * cols), code2, PackedKernel.Broadcast4(xk + 2 * cols + 4));
                i3 = TIsa.DotU8S8x2(i3, code, PackedKernel.Broadcast4(xk + 3 * cols), code2, PackedKernel.Broadcast4(xk + 3 * cols + 4));
            }
            var sc = Scales(g, 8 * h + 2 * quarter + kh);
            s.S0 += i0 * sc;
            s.S1 += i1 * sc;
            s.S2 += i2 * sc;
            s.S3 += i3 * sc;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // kept apart from the one-token kernel: inlined together they run slower
    private static void Packed4<TIsa>(byte* g, sbyte* q0, float* dx, short* bs0, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        short* bs1 = bs0 + cols / 16;
        short* bs2 = bs1 + cols / 16;
        short* bs3 = bs2 + cols / 16;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            var n0 = Vector256<int>.Zero; var n1 = Vector256<int>.Zero; var n2 = Vector256<int>.Zero; var n3 = Vector256<int>.Zero;
            nint o = 256 * b, ob = 16 * b;
            for (int p = 0; p < 8; p++)
            {
                var lo = Avx2.ConvertToVector256Int32((sbyte*)(g + 16 + 16 * p));
                var hi = Avx2.ConvertToVector256Int32((sbyte*)(g + 24 + 16 * p));
                var pair = ((lo & Vector256.Create(0xFFFF)) | Vector256.ShiftLeft(hi, 16)).AsInt16();
                n0 = TIsa.DotI16(n0, pair, Vector256.Create(*(int*)(bs0 + ob + 2 * p)).AsInt16());
                n1 = TIsa.DotI16(n1, pair, Vector256.Create(*(int*)(bs1 + ob + 2 * p)).AsInt16());
                n2 = TIsa.DotI16(n2, pair, Vector256.Create(*(int*)(bs2 + ob + 2 * p)).AsInt16());
                n3 = TIsa.DotI16(n3, pair, Vector256.Create(*(int*)(bs3 + ob + 2 * p)).AsInt16());
            }
            var acc = default(Acc4);
            for (int h = 0; h < 2; h++)
            {
                sbyte* x = q0 + o + 128 * h;
                Quarter4<TIsa>(g, h, 0, x, cols, ref acc);
                Quarter4<TIsa>(g, h, 1, x + 32, cols, ref acc);
                Quarter4<TIsa>(g, h, 2, x + 64, cols, ref acc);
                Quarter4<TIsa>(g, h, 3, x + 96, cols, ref acc);
            }
            var d = PackedKernel.Halves(g);
            f0 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(acc.S0 - Vector256.ShiftLeft(n0, 5)), d * Vector256.Create(dx[b]), f0);
            f1 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(acc.S1 - Vector256.ShiftLeft(n1, 5)), d * Vector256.Create(dx[nb + b]), f1);
            f2 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(acc.S2 - Vector256.ShiftLeft(n2, 5)), d * Vector256.Create(dx[2 * nb + b]), f2);
            f3 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(acc.S3 - Vector256.ShiftLeft(n3, 5)), d * Vector256.Create(dx[3 * nb + b]), f3);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }
}

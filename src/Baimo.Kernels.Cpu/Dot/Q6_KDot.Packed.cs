using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q6_KDot
{
    // Packed super-block of a group (1680 bytes, the eight rows' size), in the order the kernels read it:
    //   [0, 16) the rows' fp16 d; [16, 144) the int8 scales pairwise: 16 bytes per sub-block pair p, row r's
    //   scales of sub-blocks 2p and 2p + 1 at 2r and 2r + 1, so one widening gives every lane its pair as int16;
    //   [144, 1680) sixteen 96-byte steps, for half h, parity kh (h = hk / 2, kh = hk % 2) and k < 4: three
    //   32-byte vectors whose lane r holds four bytes of row r — A = ql[64h + 16kh + 4k ..], B = the same
    //   32 bytes on, H = qh[32h + 16kh + 4k ..].
    // Element 128h + 32·quarter + 16kh + 4k + i is (low nibble of A for quarter 0, of B for 1, high nibble of A
    // for 2, of B for 3) | (bits 2·quarter.. of H) << 4, so one step's three loads give the codes of all four
    // quarters (sub-blocks 8h + 2·quarter + kh). The codes go in unsigned (0..63): two steps' byte products add as
    // int16 (4·63·127 fits), and one int16 multiply-add with the sub-block's scale in both halves of every lane
    // widens and scales them at once. The −32 comes back as −32·Σ scale·bsum.

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
                for (int sb = 0; sb < 16; sb++) dst[16 + 16 * (sb >> 1) + 2 * r + (sb & 1)] = s[192 + sb];
            }
            byte* s0 = src + b * BlockBytes;
            for (int hk = 0; hk < 4; hk++)
                for (int k = 0; k < 4; k++)
                {
                    int h = hk >> 1, kh = hk & 1;
                    byte* step = Step(dst, hk, k);
                    PackedKernel.Interleave(s0 + 64 * h + 16 * kh + 4 * k, rowBytes, 1, step);            // A
                    PackedKernel.Interleave(s0 + 64 * h + 32 + 16 * kh + 4 * k, rowBytes, 1, step + 32);  // B
                    PackedKernel.Interleave(s0 + 128 + 32 * h + 16 * kh + 4 * k, rowBytes, 1, step + 64); // H
                }
        }
        return finite;
    }

    /// <summary>
    /// Every tile size accumulates a token's super-blocks in the same order with the same operations (the integer
    /// sums are exact), so a token's result does not depend on the batch it came in.
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

    /// <summary>Sub-block pair p's scales: lane r = (row r's scale of sub-block 2p, of 2p + 1) as int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Pair(byte* g, int p) => Avx2.ConvertToVector256Int16((sbyte*)(g + 16 + 16 * p));

    /// <summary>Sub-block sb's scales in both int16 halves of every lane (pick: <see cref="Vec.Half"/> of sb's parity).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Scale(byte* g, int sb, Vector256<byte> pick) => Vec.Duplicate(Pair(g, sb >> 1), pick);

    /// <summary>Σ_sb scale·bsum of one token's super-block (bs: its 16 sums), for the −32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Offsets<TIsa>(byte* g, short* bs) where TIsa : IInt8Isa
    {
        var n = Vector256<int>.Zero;
        for (int p = 0; p < 8; p++) n = TIsa.DotI16(n, Pair(g, p), Vector256.Create(*(int*)(bs + 2 * p)).AsInt16());
        return n;
    }

    /// <summary>Step k of half h, parity kh (hk = 2h + kh): its A, B and H vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Step(byte* g, int hk, int k) => g + 144 + 96 * (4 * hk + k);

    /// <summary>The four quarters' codes of one step: the low four bits from A/B, the top two from H moved to bits 4–5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Codes(byte* step, out Vector256<byte> c0, out Vector256<byte> c1, out Vector256<byte> c2, out Vector256<byte> c3)
    {
        var m4 = Vector256.Create((byte)0x0F);
        var m30 = Vector256.Create((byte)0x30);
        var a = Vector256.Load(step);
        var b = Vector256.Load(step + 32);
        var h = Vector256.Load((ushort*)(step + 64));
        c0 = (a & m4) | (Vector256.ShiftLeft(h, 4).AsByte() & m30);
        c1 = (b & m4) | (Vector256.ShiftLeft(h, 2).AsByte() & m30);
        c2 = (Vector256.ShiftRightLogical(a.AsUInt16(), 4).AsByte() & m4) | (h.AsByte() & m30);
        c3 = (Vector256.ShiftRightLogical(b.AsUInt16(), 4).AsByte() & m4) | (Vector256.ShiftRightLogical(h, 2).AsByte() & m30);
    }

    /// <summary>Byte products of codes c with four activation codes at x, as int16 pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Products(Vector256<byte> c, sbyte* x) => Avx2.MultiplyAddAdjacent(c, PackedKernel.Broadcast4(x));

    private static void Packed1<TIsa>(byte* g, sbyte* q0, float* dx, short* bs0, int nb, float* y) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            var n0 = Offsets<TIsa>(g, bs0 + 16 * b);
            var s0 = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
                for (int kh = 0; kh < 2; kh++)
                {
                    sbyte* x = q0 + 256 * b + 128 * h + 16 * kh;
                    int sb = 8 * h + kh;
                    var pick = Vec.Half(kh);
                    for (int k = 0; k < 4; k += 2)
                    {
                        Codes(Step(g, 2 * h + kh, k), out var a0, out var a1, out var a2, out var a3);
                        Codes(Step(g, 2 * h + kh, k + 1), out var b0, out var b1, out var b2, out var b3);
                        sbyte* xk = x + 4 * k;
                        s0 = TIsa.DotI16(s0, Products(a0, xk) + Products(b0, xk + 4), Scale(g, sb, pick));
                        s0 = TIsa.DotI16(s0, Products(a1, xk + 32) + Products(b1, xk + 36), Scale(g, sb + 2, pick));
                        s0 = TIsa.DotI16(s0, Products(a2, xk + 64) + Products(b2, xk + 68), Scale(g, sb + 4, pick));
                        s0 = TIsa.DotI16(s0, Products(a3, xk + 96) + Products(b3, xk + 100), Scale(g, sb + 6, pick));
                    }
                }
            f0 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s0 - Vector256.ShiftLeft(n0, 5)), PackedKernel.Halves(g) * Vector256.Create(dx[b]), f0);
        }
        f0.Store(y);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // kept apart from the one-token kernel: inlined together they run slower
    private static void Packed4<TIsa>(byte* g, sbyte* q0, float* dx, short* bs0, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        int sums = cols / 16;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            short* bs = bs0 + 16 * b;
            var n0 = Offsets<TIsa>(g, bs);
            var n1 = Offsets<TIsa>(g, bs + sums);
            var n2 = Offsets<TIsa>(g, bs + 2 * sums);
            var n3 = Offsets<TIsa>(g, bs + 3 * sums);
            var s0 = Vector256<int>.Zero; var s1 = Vector256<int>.Zero; var s2 = Vector256<int>.Zero; var s3 = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
                for (int kh = 0; kh < 2; kh++)
                {
                    sbyte* x = q0 + 256 * b + 128 * h + 16 * kh;
                    int sb = 8 * h + kh;
                    var pick = Vec.Half(kh);
                    for (int k = 0; k < 4; k += 2)
                    {
                        Codes(Step(g, 2 * h + kh, k), out var a0, out var a1, out var a2, out var a3);
                        Codes(Step(g, 2 * h + kh, k + 1), out var b0, out var b1, out var b2, out var b3);
                        sbyte* xk = x + 4 * k;
                        Quarter<TIsa>(a0, b0, xk, cols, Scale(g, sb, pick), ref s0, ref s1, ref s2, ref s3);
                        Quarter<TIsa>(a1, b1, xk + 32, cols, Scale(g, sb + 2, pick), ref s0, ref s1, ref s2, ref s3);
                        Quarter<TIsa>(a2, b2, xk + 64, cols, Scale(g, sb + 4, pick), ref s0, ref s1, ref s2, ref s3);
                        Quarter<TIsa>(a3, b3, xk + 96, cols, Scale(g, sb + 6, pick), ref s0, ref s1, ref s2, ref s3);
                    }
                }
            var d = PackedKernel.Halves(g);
            f0 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s0 - Vector256.ShiftLeft(n0, 5)), d * Vector256.Create(dx[b]), f0);
            f1 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s1 - Vector256.ShiftLeft(n1, 5)), d * Vector256.Create(dx[nb + b]), f1);
            f2 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s2 - Vector256.ShiftLeft(n2, 5)), d * Vector256.Create(dx[2 * nb + b]), f2);
            f3 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s3 - Vector256.ShiftLeft(n3, 5)), d * Vector256.Create(dx[3 * nb + b]), f3);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }

    /// <summary>Two steps of one quarter (codes a then b, activations at x) for four tokens cols apart, scaled into s0..s3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter<TIsa>(Vector256<byte> a, Vector256<byte> b, sbyte* x, nint cols, Vector256<short> scale,
        ref Vector256<int> s0, ref Vector256<int> s1, ref Vector256<int> s2, ref Vector256<int> s3) where TIsa : IInt8Isa
    {
        s0 = TIsa.DotI16(s0, Products(a, x) + Products(b, x + 4), scale);
        s1 = TIsa.DotI16(s1, Products(a, x + cols) + Products(b, x + cols + 4), scale);
        s2 = TIsa.DotI16(s2, Products(a, x + 2 * cols) + Products(b, x + 2 * cols + 4), scale);
        s3 = TIsa.DotI16(s3, Products(a, x + 3 * cols) + Products(b, x + 3 * cols + 4), scale);
    }
}

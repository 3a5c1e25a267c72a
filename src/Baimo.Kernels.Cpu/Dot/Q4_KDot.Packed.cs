using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_KDot
{
    // Packed super-block of a group (1184 bytes, 32 more than the eight rows' 1152):
    //   [0, 16) the rows' fp16 d; [16, 32) their fp16 dmin;
    //   [32, 96) the 6-bit scales unpacked to bytes, [sub-block j][row r]; [96, 160) the mins, likewise;
    //   [160, 1184) for each 64-value chunk c and k < 8 a 32-byte vector whose lane r holds
    //   qs[32c + 4k .. 32c + 4k + 3] of row r: low nibbles are elements 64c + 4k.., high ones 64c + 32 + 4k...
    // Per chunk the two sub-blocks' sums (ints, ≤ 32·15·127) take their scales with one multiply each; the
    // mins meet the activations' 16-value sums two at a time (int16 pairs, multiply-add).

    /// <summary>Bytes of a packed super-block of a group.</summary>
    public const int PackedBlock = 1184;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += PackedBlock)
            finite &= PackSuperBlock(src + b * BlockBytes, rowBytes, 16, dst);
        return finite;
    }

    /// <summary>
    /// The Q4_K part of one packed super-block (also Q5_K's, whose low four bits of every code sit at a different
    /// offset): the rows' d and dmin, the unpacked scales and mins, and the interleaved nibbles at
    /// <paramref name="qsOffset"/> of each row's block. src: row 0's block, the others rowBytes apart; dst
    /// [PackedBlock]. False when a d or dmin is not finite.
    /// </summary>
    internal static bool PackSuperBlock(byte* src, nint rowBytes, int qsOffset, byte* dst, int codesAt = 160)
    {
        bool finite = true;
        for (int r = 0; r < PackedKernel.GroupRows; r++)
        {
            byte* s = src + r * rowBytes;
            ushort d = *(ushort*)s, dmin = *(ushort*)(s + 2);
            finite &= PackedKernel.Finite(d) & PackedKernel.Finite(dmin);
            ((ushort*)dst)[r] = d;
            ((ushort*)(dst + 16))[r] = dmin;
            for (int j = 0; j < 8; j++)
            {
                ScaleMinK4(j, s + 4, out int sc, out int mn);
                dst[32 + 8 * j + r] = (byte)sc;
                dst[96 + 8 * j + r] = (byte)mn;
            }
        }
        PackedKernel.Interleave(src + qsOffset, rowBytes, 32, dst + codesAt);
        return finite;
    }

    /// <summary>
    /// Every tile size accumulates a token's super-blocks in the same order with the same operations, so a
    /// token's result does not depend on the batch it came in.
    /// </summary>
    public static void PackedTile<TIsa, THigh>(byte* g, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa where THigh : IK4HighBits
    {
        int cols = a->Cols, nb = cols / 256;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        short* bs = a->BSums + (nint)t0 * (cols / 16);
        int i = 0;
        for (; i + 4 <= count; i += 4)
            Packed4<TIsa, THigh>(g, q + (nint)i * cols, d + i * nb, bs + (nint)i * (cols / 16), cols, nb, y + i * yStride, yStride);
        for (; i < count; i++)
            Packed1<TIsa, THigh>(g, q + (nint)i * cols, d + i * nb, bs + (nint)i * (cols / 16), nb, y + i * yStride);
    }

    private static void Packed1<TIsa, THigh>(byte* g, sbyte* q0, float* dx, short* bs0, int nb, float* y) where TIsa : IInt8Isa where THigh : IK4HighBits
    {
        var m = Vector256.Create((byte)0x0F);
        var f0 = Vector256<float>.Zero;
        for (int b = 0; b < nb; b++, g += THigh.BlockBytes)
        {
            var s0 = Vector256<int>.Zero; var n0 = Vector256<int>.Zero;
            nint o = 256 * b, ob = 16 * b;
            for (int c = 0; c < 4; c++)
            {
                var l0 = Vector256<int>.Zero; var h0 = Vector256<int>.Zero;
                byte* v = g + THigh.CodesAt + 256 * c;
                nint oc = o + 64 * c;
                var sc0 = Avx2.ConvertToVector256Int32(g + 32 + 16 * c);
                var sc1 = Avx2.ConvertToVector256Int32(g + 40 + 16 * c);
                var sp0 = (sc0 | Vector256.ShiftLeft(sc0, 16)).AsInt16();
                var sp1 = (sc1 | Vector256.ShiftLeft(sc1, 16)).AsInt16();
                // Byte products stay int16 through the sub-block (8·2·15·127 fits; Q5_K's codes up to 31 widen halfway).
                for (int k = 0; k < 8; k += 2)
                {
                    var raw = Vector256.Load(v + 32 * k);
                    var raw2 = Vector256.Load(v + 32 * k + 32);
                    var lo = raw & m;
                    var hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
                    var lo2 = raw2 & m;
                    var hi2 = Vector256.ShiftRightLogical(raw2.AsUInt16(), 4).AsByte() & m;
                    THigh.Add(g, c, k, ref lo, ref hi);
                    THigh.Add(g, c, k + 1, ref lo2, ref hi2);
                    nint ol = oc + 4 * k, oh = ol + 32;
                    l0 = TIsa.Partial2(l0, lo, PackedKernel.Broadcast4(q0 + ol), lo2, PackedKernel.Broadcast4(q0 + ol + 4));
                    h0 = TIsa.Partial2(h0, hi, PackedKernel.Broadcast4(q0 + oh), hi2, PackedKernel.Broadcast4(q0 + oh + 4));
                    if (THigh.WidenHalfway && k == 2)
                    {
                        s0 = TIsa.WidenScaled(TIsa.WidenScaled(s0, l0, sp0, sc0), h0, sp1, sc1);
                        l0 = h0 = Vector256<int>.Zero;
                    }
                }
                var mn0 = Avx2.ConvertToVector256Int32(g + 96 + 16 * c);
                var mn1 = Avx2.ConvertToVector256Int32(g + 104 + 16 * c);
                var mp0 = (mn0 | Vector256.ShiftLeft(mn0, 16)).AsInt16();
                var mp1 = (mn1 | Vector256.ShiftLeft(mn1, 16)).AsInt16();
                s0 = TIsa.WidenScaled(TIsa.WidenScaled(s0, l0, sp0, sc0), h0, sp1, sc1);
                n0 = TIsa.DotI16(TIsa.DotI16(n0, mp0, Vector256.Create(*(int*)(bs0 + ob + 4 * c)).AsInt16()), mp1, Vector256.Create(*(int*)(bs0 + ob + 4 * c + 2)).AsInt16());
            }
            var d = PackedKernel.Halves(g);
            var dmin = PackedKernel.Halves(g + 16);
            var x0 = Vector256.Create(dx[b]);
            f0 = Fma.MultiplyAddNegated(Vector256.ConvertToSingle(n0), dmin * x0, Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s0), d * x0, f0));
        }
        f0.Store(y);
    }

    private static void Packed4<TIsa, THigh>(byte* g, sbyte* q0, float* dx, short* bs0, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa where THigh : IK4HighBits
    {
        var m = Vector256.Create((byte)0x0F);
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        sbyte* q1 = q0 + cols;
        short* bs1 = bs0 + cols / 16;
        sbyte* q2 = q1 + cols;
        short* bs2 = bs1 + cols / 16;
        sbyte* q3 = q2 + cols;
        short* bs3 = bs2 + cols / 16;
        for (int b = 0; b < nb; b++, g += THigh.BlockBytes)
        {
            var s0 = Vector256<int>.Zero; var n0 = Vector256<int>.Zero; var s1 = Vector256<int>.Zero; var n1 = Vector256<int>.Zero; var s2 = Vector256<int>.Zero; var n2 = Vector256<int>.Zero; var s3 = Vector256<int>.Zero; var n3 = Vector256<int>.Zero;
            nint o = 256 * b, ob = 16 * b;
            for (int c = 0; c < 4; c++)
            {
                var l0 = Vector256<int>.Zero; var h0 = Vector256<int>.Zero; var l1 = Vector256<int>.Zero; var h1 = Vector256<int>.Zero; var l2 = Vector256<int>.Zero; var h2 = Vector256<int>.Zero; var l3 = Vector256<int>.Zero; var h3 = Vector256<int>.Zero;
                byte* v = g + THigh.CodesAt + 256 * c;
                nint oc = o + 64 * c;
                var sc0 = Avx2.ConvertToVector256Int32(g + 32 + 16 * c);
                var sc1 = Avx2.ConvertToVector256Int32(g + 40 + 16 * c);
                var sp0 = (sc0 | Vector256.ShiftLeft(sc0, 16)).AsInt16();
                var sp1 = (sc1 | Vector256.ShiftLeft(sc1, 16)).AsInt16();
                // Byte products stay int16 through the sub-block (8·2·15·127 fits; Q5_K's codes up to 31 widen halfway).
                for (int k = 0; k < 8; k += 2)
                {
                    var raw = Vector256.Load(v + 32 * k);
                    var raw2 = Vector256.Load(v + 32 * k + 32);
                    var lo = raw & m;
                    var hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
                    var lo2 = raw2 & m;
                    var hi2 = Vector256.ShiftRightLogical(raw2.AsUInt16(), 4).AsByte() & m;
                    THigh.Add(g, c, k, ref lo, ref hi);
                    THigh.Add(g, c, k + 1, ref lo2, ref hi2);
                    nint ol = oc + 4 * k, oh = ol + 32;
                    l0 = TIsa.Partial2(l0, lo, PackedKernel.Broadcast4(q0 + ol), lo2, PackedKernel.Broadcast4(q0 + ol + 4));
                    h0 = TIsa.Partial2(h0, hi, PackedKernel.Broadcast4(q0 + oh), hi2, PackedKernel.Broadcast4(q0 + oh + 4));
                    l1 = TIsa.Partial2(l1, lo, PackedKernel.Broadcast4(q1 + ol), lo2, PackedKernel.Broadcast4(q1 + ol + 4));
                    h1 = TIsa.Partial2(h1, hi, PackedKernel.Broadcast4(q1 + oh), hi2, PackedKernel.Broadcast4(q1 + oh + 4));
                    l2 = TIsa.Partial2(l2, lo, PackedKernel.Broadcast4(q2 + ol), lo2, PackedKernel.Broadcast4(q2 + ol + 4));
                    h2 = TIsa.Partial2(h2, hi, PackedKernel.Broadcast4(q2 + oh), hi2, PackedKernel.Broadcast4(q2 + oh + 4));
                    l3 = TIsa.Partial2(l3, lo, PackedKernel.Broadcast4(q3 + ol), lo2, PackedKernel.Broadcast4(q3 + ol + 4));
                    h3 = TIsa.Partial2(h3, hi, PackedKernel.Broadcast4(q3 + oh), hi2, PackedKernel.Broadcast4(q3 + oh + 4));
                    if (THigh.WidenHalfway && k == 2)
                    {
                        s0 = TIsa.WidenScaled(TIsa.WidenScaled(s0, l0, sp0, sc0), h0, sp1, sc1);
                        s1 = TIsa.WidenScaled(TIsa.WidenScaled(s1, l1, sp0, sc0), h1, sp1, sc1);
                        s2 = TIsa.WidenScaled(TIsa.WidenScaled(s2, l2, sp0, sc0), h2, sp1, sc1);
                        s3 = TIsa.WidenScaled(TIsa.WidenScaled(s3, l3, sp0, sc0), h3, sp1, sc1);
                        l0 = h0 = l1 = h1 = l2 = h2 = l3 = h3 = Vector256<int>.Zero;
                    }
                }
                var mn0 = Avx2.ConvertToVector256Int32(g + 96 + 16 * c);
                var mn1 = Avx2.ConvertToVector256Int32(g + 104 + 16 * c);
                var mp0 = (mn0 | Vector256.ShiftLeft(mn0, 16)).AsInt16();
                var mp1 = (mn1 | Vector256.ShiftLeft(mn1, 16)).AsInt16();
                s0 = TIsa.WidenScaled(TIsa.WidenScaled(s0, l0, sp0, sc0), h0, sp1, sc1);
                n0 = TIsa.DotI16(TIsa.DotI16(n0, mp0, Vector256.Create(*(int*)(bs0 + ob + 4 * c)).AsInt16()), mp1, Vector256.Create(*(int*)(bs0 + ob + 4 * c + 2)).AsInt16());
                s1 = TIsa.WidenScaled(TIsa.WidenScaled(s1, l1, sp0, sc0), h1, sp1, sc1);
                n1 = TIsa.DotI16(TIsa.DotI16(n1, mp0, Vector256.Create(*(int*)(bs1 + ob + 4 * c)).AsInt16()), mp1, Vector256.Create(*(int*)(bs1 + ob + 4 * c + 2)).AsInt16());
                s2 = TIsa.WidenScaled(TIsa.WidenScaled(s2, l2, sp0, sc0), h2, sp1, sc1);
                n2 = TIsa.DotI16(TIsa.DotI16(n2, mp0, Vector256.Create(*(int*)(bs2 + ob + 4 * c)).AsInt16()), mp1, Vector256.Create(*(int*)(bs2 + ob + 4 * c + 2)).AsInt16());
                s3 = TIsa.WidenScaled(TIsa.WidenScaled(s3, l3, sp0, sc0), h3, sp1, sc1);
                n3 = TIsa.DotI16(TIsa.DotI16(n3, mp0, Vector256.Create(*(int*)(bs3 + ob + 4 * c)).AsInt16()), mp1, Vector256.Create(*(int*)(bs3 + ob + 4 * c + 2)).AsInt16());
            }
            var d = PackedKernel.Halves(g);
            var dmin = PackedKernel.Halves(g + 16);
            var x0 = Vector256.Create(dx[b]);
            f0 = Fma.MultiplyAddNegated(Vector256.ConvertToSingle(n0), dmin * x0, Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s0), d * x0, f0));
            var x1 = Vector256.Create(dx[nb + b]);
            f1 = Fma.MultiplyAddNegated(Vector256.ConvertToSingle(n1), dmin * x1, Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s1), d * x1, f1));
            var x2 = Vector256.Create(dx[2 * nb + b]);
            f2 = Fma.MultiplyAddNegated(Vector256.ConvertToSingle(n2), dmin * x2, Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s2), d * x2, f2));
            var x3 = Vector256.Create(dx[3 * nb + b]);
            f3 = Fma.MultiplyAddNegated(Vector256.ConvertToSingle(n3), dmin * x3, Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s3), d * x3, f3));
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }
}

/// <summary>
/// What Q5_K adds to the packed Q4_K kernels: a fifth bit on every code. The kernels are generic over it, so
/// Q4_K (<see cref="NoHighBits"/>) pays nothing for it.
/// </summary>
internal unsafe interface IK4HighBits
{
    /// <summary>Bytes of a packed super-block of a group.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>Where the interleaved nibbles start in a packed super-block.</summary>
    static abstract int CodesAt { get; }

    /// <summary>
    /// Whether a sub-block's int16 partial sums must widen after four of its eight steps: codes up to 31 fill an
    /// int16 with four byte-product pairs (4·2·31·127); codes up to 15 take all eight.
    /// </summary>
    static abstract bool WidenHalfway { get; }

    /// <summary>
    /// Adds the high bits of step <paramref name="k"/> of chunk <paramref name="c"/> of super-block g: 16 to each low code
    /// (element 64c + 4k + i) and high code (element 64c + 32 + 4k + i) whose bit is set.
    /// </summary>
    static abstract void Add(byte* g, int c, int k, ref Vector256<byte> lo, ref Vector256<byte> hi);
}

internal unsafe struct NoHighBits : IK4HighBits
{
    public static int BlockBytes => Q4_KDot.PackedBlock;

    public static int CodesAt => 160;

    public static bool WidenHalfway => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(byte* g, int c, int k, ref Vector256<byte> lo, ref Vector256<byte> hi) { }
}

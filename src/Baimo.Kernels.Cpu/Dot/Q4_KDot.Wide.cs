using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_KDot
{
    // The 512-bit form (AVX-512 BW): sixteen rows a group. Packed super-block of a group (2368 bytes, 64 more than
    // the sixteen rows' 2304): [0, 32) the rows' fp16 d; [32, 64) their fp16 dmin; [64, 192) the 6-bit scales
    // unpacked to bytes, [sub-block j][row r]; [192, 320) the mins, likewise; [320, 2368) for each 64-value chunk c
    // and k < 8 a 64-byte vector whose lane r holds qs[32c + 4k .. +3] of row r (low nibbles: elements 64c + 4k..,
    // high: 64c + 32 + 4k..). Arithmetic as the 256-bit form: each sub-block's byte products stay int16 and are
    // scaled by the widening multiply-add.

    /// <summary>Rows per group of the 512-bit form.</summary>
    public const int WideRows = 16;

    /// <summary>Bytes of a super-block of a group in the 512-bit form.</summary>
    public const int WideBlock = 2368;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroupWide(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += WideBlock)
        {
            byte* s0 = src + b * BlockBytes;
            for (int r = 0; r < WideRows; r++)
            {
                byte* s = s0 + r * rowBytes;
                ushort d = *(ushort*)s, dmin = *(ushort*)(s + 2);
                finite &= PackedKernel.Finite(d) & PackedKernel.Finite(dmin);
                ((ushort*)dst)[r] = d;
                ((ushort*)(dst + 32))[r] = dmin;
                for (int j = 0; j < 8; j++)
                {
                    ScaleMinK4(j, s + 4, out int sc, out int mn);
                    dst[64 + 16 * j + r] = (byte)sc;
                    dst[192 + 16 * j + r] = (byte)mn;
                }
                for (int k = 0; k < 32; k++) *(uint*)(dst + 320 + 64 * k + 4 * r) = *(uint*)(s + 16 + 4 * k);
            }
        }
        return finite;
    }

    /// <summary>
    /// One group of sixteen rows against a tile of tokens (y[i·yStride + r], r &lt; 16, i &lt; count ≤ 8). Every tile
    /// size adds a token's super-blocks in the same order with the same operations (the integer sums are exact).
    /// </summary>
    public static void WideTile(byte* g, Activations* a, int t0, int count, float* y, nint yStride)
    {
        int cols = a->Cols, nb = cols / 256;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        short* bs = a->BSums + (nint)t0 * (cols / 16);
        int i = 0;
        for (; i + 4 <= count; i += 4)
            Wide4(g, q + (nint)i * cols, d + i * nb, bs + (nint)i * (cols / 16), cols, nb, y + i * yStride, yStride);
        for (; i < count; i++)
            Wide1(g, q + (nint)i * cols, d + i * nb, bs + (nint)i * (cols / 16), nb, y + i * yStride);
    }

    /// <summary>Sixteen bytes at p widened to int32, each copied into both int16 halves of its lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Pairs16(byte* p)
    {
        var v = Avx512F.ConvertToVector512Int32(Vector128.Load(p));
        return (v | Vector512.ShiftLeft(v, 16)).AsInt16();
    }

    /// <summary>p + the byte products of two steps' codes with four activation codes each (x, x + 4), kept as int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Step2(Vector512<short> p, Vector512<byte> c, Vector512<byte> c2, sbyte* x) =>
        p + Avx512BW.MultiplyAddAdjacent(c, Vector512.Create(*(int*)x).AsSByte()) + Avx512BW.MultiplyAddAdjacent(c2, Vector512.Create(*(int*)(x + 4)).AsSByte());

    /// <summary>Σ min·(16-value sums) of chunk c's two sub-blocks for one token (bs: the super-block's sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Mins(Vector512<short> mp0, Vector512<short> mp1, short* bs, int c) =>
        Avx512BW.MultiplyAddAdjacent(mp0, Vector512.Create(*(int*)(bs + 4 * c)).AsInt16())
        + Avx512BW.MultiplyAddAdjacent(mp1, Vector512.Create(*(int*)(bs + 4 * c + 2)).AsInt16());

    /// <summary>f + d·d_x·s − dmin·d_x·n for sixteen rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Finish(byte* g, Vector512<int> s, Vector512<int> n, float dx, Vector512<float> f)
    {
        var x = Vector512.Create(dx);
        f = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(s), PackedKernel.Halves16(g) * x, f);
        return Vector512.FusedMultiplyAdd(-Vector512.ConvertToSingle(n), PackedKernel.Halves16(g + 32) * x, f);
    }

    private static void Wide1(byte* g, sbyte* q0, float* dx, short* bs0, int nb, float* y)
    {
        var m = Vector512.Create((byte)0x0F);
        var f0 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            var s0 = Vector512<int>.Zero; var n0 = Vector512<int>.Zero;
            sbyte* x = q0 + 256 * b;
            short* bs = bs0 + 16 * b;
            for (int c = 0; c < 4; c++)
            {
                var l0 = Vector512<short>.Zero; var h0 = Vector512<short>.Zero;
                byte* v = g + 320 + 512 * c;
                sbyte* xc = x + 64 * c;
                for (int k = 0; k < 8; k += 2)
                {
                    var raw = Vector512.Load(v + 64 * k);
                    var raw2 = Vector512.Load(v + 64 * k + 64);
                    l0 = Step2(l0, raw & m, raw2 & m, xc + 4 * k);
                    h0 = Step2(h0, Vector512.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m, Vector512.ShiftRightLogical(raw2.AsUInt16(), 4).AsByte() & m, xc + 32 + 4 * k);
                }
                s0 += Avx512BW.MultiplyAddAdjacent(l0, Pairs16(g + 64 + 32 * c)) + Avx512BW.MultiplyAddAdjacent(h0, Pairs16(g + 80 + 32 * c));
                n0 += Mins(Pairs16(g + 192 + 32 * c), Pairs16(g + 208 + 32 * c), bs, c);
            }
            f0 = Finish(g, s0, n0, dx[b], f0);
        }
        f0.Store(y);
    }

    private static void Wide4(byte* g, sbyte* q0, float* dx, short* bs0, int cols, int nb, float* y, nint yStride)
    {
        var m = Vector512.Create((byte)0x0F);
        var f0 = Vector512<float>.Zero;
        var f1 = Vector512<float>.Zero;
        var f2 = Vector512<float>.Zero;
        var f3 = Vector512<float>.Zero;
        int sums = cols / 16;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            var s0 = Vector512<int>.Zero; var s1 = Vector512<int>.Zero; var s2 = Vector512<int>.Zero; var s3 = Vector512<int>.Zero;
            var n0 = Vector512<int>.Zero; var n1 = Vector512<int>.Zero; var n2 = Vector512<int>.Zero; var n3 = Vector512<int>.Zero;
            sbyte* x = q0 + 256 * b;
            short* bs = bs0 + 16 * b;
            for (int c = 0; c < 4; c++)
            {
                var l0 = Vector512<short>.Zero; var h0 = Vector512<short>.Zero; var l1 = Vector512<short>.Zero; var h1 = Vector512<short>.Zero;
                var l2 = Vector512<short>.Zero; var h2 = Vector512<short>.Zero; var l3 = Vector512<short>.Zero; var h3 = Vector512<short>.Zero;
                byte* v = g + 320 + 512 * c;
                sbyte* xc = x + 64 * c;
                for (int k = 0; k < 8; k += 2)
                {
                    var raw = Vector512.Load(v + 64 * k);
                    var raw2 = Vector512.Load(v + 64 * k + 64);
                    var lo = raw & m;
                    var lo2 = raw2 & m;
                    var hi = Vector512.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
                    var hi2 = Vector512.ShiftRightLogical(raw2.AsUInt16(), 4).AsByte() & m;
                    sbyte* xl = xc + 4 * k, xh = xl + 32;
                    l0 = Step2(l0, lo, lo2, xl);
                    h0 = Step2(h0, hi, hi2, xh);
                    l1 = Step2(l1, lo, lo2, xl + cols);
                    h1 = Step2(h1, hi, hi2, xh + cols);
                    l2 = Step2(l2, lo, lo2, xl + 2 * cols);
                    h2 = Step2(h2, hi, hi2, xh + 2 * cols);
                    l3 = Step2(l3, lo, lo2, xl + 3 * cols);
                    h3 = Step2(h3, hi, hi2, xh + 3 * cols);
                }
                var sp0 = Pairs16(g + 64 + 32 * c);
                var sp1 = Pairs16(g + 80 + 32 * c);
                var mp0 = Pairs16(g + 192 + 32 * c);
                var mp1 = Pairs16(g + 208 + 32 * c);
                s0 += Avx512BW.MultiplyAddAdjacent(l0, sp0) + Avx512BW.MultiplyAddAdjacent(h0, sp1);
                s1 += Avx512BW.MultiplyAddAdjacent(l1, sp0) + Avx512BW.MultiplyAddAdjacent(h1, sp1);
                s2 += Avx512BW.MultiplyAddAdjacent(l2, sp0) + Avx512BW.MultiplyAddAdjacent(h2, sp1);
                s3 += Avx512BW.MultiplyAddAdjacent(l3, sp0) + Avx512BW.MultiplyAddAdjacent(h3, sp1);
                n0 += Mins(mp0, mp1, bs, c);
                n1 += Mins(mp0, mp1, bs + sums, c);
                n2 += Mins(mp0, mp1, bs + 2 * sums, c);
                n3 += Mins(mp0, mp1, bs + 3 * sums, c);
            }
            f0 = Finish(g, s0, n0, dx[b], f0);
            f1 = Finish(g, s1, n1, dx[nb + b], f1);
            f2 = Finish(g, s2, n2, dx[2 * nb + b], f2);
            f3 = Finish(g, s3, n3, dx[3 * nb + b], f3);
        }
        f0.Store(y);
        f1.Store(y + yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }
}

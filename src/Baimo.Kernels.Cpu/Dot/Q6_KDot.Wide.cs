using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q6_KDot
{
    // The 512-bit form (AVX-512 BW): sixteen rows a group. Packed super-block of a group (3360 bytes, the sixteen
    // rows' size), in reading order as the 256-bit form: [0, 32) the rows' fp16 d; [32, 288) the int8 scales
    // pairwise, 32 bytes per sub-block pair p (row r's scales of sub-blocks 2p and 2p + 1 at 2r and 2r + 1);
    // [288, 3360) sixteen 192-byte steps (hk = 2h + kh, k < 4): three 64-byte vectors A, B, H whose lane r holds
    // ql[64h + 16kh + 4k ..], ql[64h + 32 + 16kh + 4k ..] and qh[32h + 16kh + 4k ..] of row r.

    /// <summary>Rows per group of the 512-bit form.</summary>
    public const int WideRows = 16;

    /// <summary>Bytes of a super-block of a group in the 512-bit form.</summary>
    public const int WideBlock = WideRows * BlockBytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroupWide(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += WideBlock)
        {
            for (int r = 0; r < WideRows; r++)
            {
                byte* s = src + r * rowBytes + b * BlockBytes;
                ushort d = *(ushort*)(s + 208);
                finite &= PackedKernel.Finite(d);
                ((ushort*)dst)[r] = d;
                for (int sb = 0; sb < 16; sb++) dst[32 + 32 * (sb >> 1) + 2 * r + (sb & 1)] = s[192 + sb];
                for (int hk = 0; hk < 4; hk++)
                    for (int k = 0; k < 4; k++)
                    {
                        int h = hk >> 1, kh = hk & 1;
                        byte* step = WideStep(dst, hk, k) + 4 * r;
                        *(uint*)step = *(uint*)(s + 64 * h + 16 * kh + 4 * k);
                        *(uint*)(step + 64) = *(uint*)(s + 64 * h + 32 + 16 * kh + 4 * k);
                        *(uint*)(step + 128) = *(uint*)(s + 128 + 32 * h + 16 * kh + 4 * k);
                    }
            }
        }
        return finite;
    }

    /// <summary>Step k of half h, parity kh (hk = 2h + kh) in the 512-bit form: its A, B and H vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* WideStep(byte* g, int hk, int k) => g + 288 + 192 * (4 * hk + k);

    /// <summary>Sub-block pair p's scales: lane r = (row r's scale of sub-block 2p, of 2p + 1) as int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> WidePair(byte* g, int p) => Avx512BW.ConvertToVector512Int16(Vector256.Load((sbyte*)(g + 32 + 32 * p)));

    /// <summary>Byte shuffles (indices within each 128-bit quarter) that copy int16 0 or 1 of every 32-bit lane into both its halves.</summary>
    private static readonly Vector512<byte> FirstHalf512 = Vector512.Create(Vec.Half(0), Vec.Half(0));
    private static readonly Vector512<byte> SecondHalf512 = Vector512.Create(Vec.Half(1), Vec.Half(1));

    /// <summary>Sub-block 2p + kh's scales in both int16 halves of every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> WideScale(byte* g, int p, int kh) =>
        Avx512BW.Shuffle(WidePair(g, p).AsByte(), kh == 0 ? FirstHalf512 : SecondHalf512).AsInt16();

    /// <summary>Σ_sb scale·bsum of one token's super-block (bs: its 16 sums), for the −32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> WideOffsets(byte* g, short* bs)
    {
        var n = Vector512<int>.Zero;
        for (int p = 0; p < 8; p++) n += Avx512BW.MultiplyAddAdjacent(WidePair(g, p), Vector512.Create(*(int*)(bs + 2 * p)).AsInt16());
        return n;
    }

    /// <summary>The four quarters' codes of one step (as <see cref="Codes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WideCodes(byte* step, out Vector512<byte> c0, out Vector512<byte> c1, out Vector512<byte> c2, out Vector512<byte> c3)
    {
        var m4 = Vector512.Create((byte)0x0F);
        var m30 = Vector512.Create((byte)0x30);
        var a = Vector512.Load(step);
        var b = Vector512.Load(step + 64);
        var h = Vector512.Load((ushort*)(step + 128));
        c0 = (a & m4) | (Vector512.ShiftLeft(h, 4).AsByte() & m30);
        c1 = (b & m4) | (Vector512.ShiftLeft(h, 2).AsByte() & m30);
        c2 = (Vector512.ShiftRightLogical(a.AsUInt16(), 4).AsByte() & m4) | (h.AsByte() & m30);
        c3 = (Vector512.ShiftRightLogical(b.AsUInt16(), 4).AsByte() & m4) | (Vector512.ShiftRightLogical(h, 2).AsByte() & m30);
    }

    /// <summary>Two steps of one quarter (codes a then b, activations at x) of one token, scaled into s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> WideQuarter(Vector512<int> s, Vector512<byte> a, Vector512<byte> b, sbyte* x, Vector512<short> scale) =>
        s + Avx512BW.MultiplyAddAdjacent(
            Avx512BW.MultiplyAddAdjacent(a, Vector512.Create(*(int*)x).AsSByte()) + Avx512BW.MultiplyAddAdjacent(b, Vector512.Create(*(int*)(x + 4)).AsSByte()),
            scale);

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

    /// <summary>f + d·d_x·(s − 32·n) for sixteen rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> WideFinish(byte* g, Vector512<int> s, Vector512<int> n, float dx, Vector512<float> f) =>
        Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(s - Vector512.ShiftLeft(n, 5)), PackedKernel.Halves16(g) * Vector512.Create(dx), f);

    private static void Wide1(byte* g, sbyte* q0, float* dx, short* bs0, int nb, float* y)
    {
        var f0 = Vector512<float>.Zero;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            var n0 = WideOffsets(g, bs0 + 16 * b);
            var s0 = Vector512<int>.Zero;
            for (int hk = 0; hk < 4; hk++)
            {
                int h = hk >> 1, kh = hk & 1;
                sbyte* x = q0 + 256 * b + 128 * h + 16 * kh;
                var sc0 = WideScale(g, 4 * h, kh);
                var sc1 = WideScale(g, 4 * h + 1, kh);
                var sc2 = WideScale(g, 4 * h + 2, kh);
                var sc3 = WideScale(g, 4 * h + 3, kh);
                for (int k = 0; k < 4; k += 2)
                {
                    WideCodes(WideStep(g, hk, k), out var a0, out var a1, out var a2, out var a3);
                    WideCodes(WideStep(g, hk, k + 1), out var b0, out var b1, out var b2, out var b3);
                    sbyte* xk = x + 4 * k;
                    s0 = WideQuarter(s0, a0, b0, xk, sc0);
                    s0 = WideQuarter(s0, a1, b1, xk + 32, sc1);
                    s0 = WideQuarter(s0, a2, b2, xk + 64, sc2);
                    s0 = WideQuarter(s0, a3, b3, xk + 96, sc3);
                }
            }
            f0 = WideFinish(g, s0, n0, dx[b], f0);
        }
        f0.Store(y);
    }

    private static void Wide4(byte* g, sbyte* q0, float* dx, short* bs0, int cols, int nb, float* y, nint yStride)
    {
        var f0 = Vector512<float>.Zero;
        var f1 = Vector512<float>.Zero;
        var f2 = Vector512<float>.Zero;
        var f3 = Vector512<float>.Zero;
        int sums = cols / 16;
        for (int b = 0; b < nb; b++, g += WideBlock)
        {
            short* bs = bs0 + 16 * b;
            var n0 = WideOffsets(g, bs);
            var n1 = WideOffsets(g, bs + sums);
            var n2 = WideOffsets(g, bs + 2 * sums);
            var n3 = WideOffsets(g, bs + 3 * sums);
            var s0 = Vector512<int>.Zero; var s1 = Vector512<int>.Zero; var s2 = Vector512<int>.Zero; var s3 = Vector512<int>.Zero;
            for (int hk = 0; hk < 4; hk++)
            {
                int h = hk >> 1, kh = hk & 1;
                sbyte* x = q0 + 256 * b + 128 * h + 16 * kh;
                for (int k = 0; k < 4; k += 2)
                {
                    WideCodes(WideStep(g, hk, k), out var a0, out var a1, out var a2, out var a3);
                    WideCodes(WideStep(g, hk, k + 1), out var b0, out var b1, out var b2, out var b3);
                    sbyte* xk = x + 4 * k;
                    var sc = WideScale(g, 4 * h, kh);
                    s0 = WideQuarter(s0, a0, b0, xk, sc);
                    s1 = WideQuarter(s1, a0, b0, xk + cols, sc);
                    s2 = WideQuarter(s2, a0, b0, xk + 2 * cols, sc);
                    s3 = WideQuarter(s3, a0, b0, xk + 3 * cols, sc);
                    sc = WideScale(g, 4 * h + 1, kh);
                    s0 = WideQuarter(s0, a1, b1, xk + 32, sc);
                    s1 = WideQuarter(s1, a1, b1, xk + 32 + cols, sc);
                    s2 = WideQuarter(s2, a1, b1, xk + 32 + 2 * cols, sc);
                    s3 = WideQuarter(s3, a1, b1, xk + 32 + 3 * cols, sc);
                    sc = WideScale(g, 4 * h + 2, kh);
                    s0 = WideQuarter(s0, a2, b2, xk + 64, sc);
                    s1 = WideQuarter(s1, a2, b2, xk + 64 + cols, sc);
                    s2 = WideQuarter(s2, a2, b2, xk + 64 + 2 * cols, sc);
                    s3 = WideQuarter(s3, a2, b2, xk + 64 + 3 * cols, sc);
                    sc = WideScale(g, 4 * h + 3, kh);
                    s0 = WideQuarter(s0, a3, b3, xk + 96, sc);
                    s1 = WideQuarter(s1, a3, b3, xk + 96 + cols, sc);
                    s2 = WideQuarter(s2, a3, b3, xk + 96 + 2 * cols, sc);
                    s3 = WideQuarter(s3, a3, b3, xk + 96 + 3 * cols, sc);
                }
            }
            f0 = WideFinish(g, s0, n0, dx[b], f0);
            f1 = WideFinish(g, s1, n1, dx[nb + b], f1);
            f2 = WideFinish(g, s2, n2, dx[2 * nb + b], f2);
            f3 = WideFinish(g, s3, n3, dx[3 * nb + b], f3);
        }
        f0.Store(y);
        f1.Store(y + yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// What the packed kernels of the 2-bit-based K types (Q2_K, Q3_K) need of a type. Both keep a super-block's low
/// two bits of element 128h + 32c + l in bits 2c of qs[32h + l] and give every 16 values (sub-block
/// sb = 8h + 2c + l / 16) a scale. Their packed super-blocks of a group interleave qs (16 vectors; vector k holds
/// qs[4k..4k+3] of row r in lane r, so sub-block sb's step k4 is vector 8h + 4·(l / 16) + k4, shifted by 2c) and
/// store the scale bytes pairwise: 16 bytes per sub-block pair p, row r's bytes of sub-blocks 2p and 2p + 1 at
/// 2r and 2r + 1, so one widening gives every lane its pair as two int16.
/// </summary>
internal unsafe interface IPackedK2
{
    /// <summary>Bytes of a super-block in the file layout.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>Bytes of a group's super-block in the packed layout.</summary>
    static abstract int PackedBlock { get; }

    /// <summary>Packs one super-block of eight rows (src = row 0's, the others rowBytes apart) into dst [PackedBlock]; false when a scale is not finite.</summary>
    static abstract bool PackBlock(byte* src, nint rowBytes, byte* dst);

    /// <summary>Codes of step <paramref name="k4"/> of sub-block 8h + 2c + kh: four consecutive codes of each row, unsigned.</summary>
    static abstract Vector256<byte> Codes(byte* g, int h, int c, int kh, int k4);

    /// <summary>Sub-block pair p's scale bytes widened: lane r = (row r's byte of sub-block 2p, of 2p + 1) as int16.</summary>
    static abstract Vector256<short> Pair(byte* g, int p);

    /// <summary>The scales in a <see cref="Pair"/>.</summary>
    static abstract Vector256<short> Scales(Vector256<short> pair);

    /// <summary>What meets the activations' 16-value sums in a <see cref="Pair"/> (a minimum, or the scale times an offset).</summary>
    static abstract Vector256<short> Mins(Vector256<short> pair);

    /// <summary>
    /// f + one super-block's result for eight rows: s = Σ_sb scale·Σ code·x and n = Σ_sb mins·bsum (ints), dx the
    /// activations' scale.
    /// </summary>
    static abstract Vector256<float> Finish(byte* g, Vector256<int> s, Vector256<int> n, float dx, Vector256<float> f);
}

/// <summary>
/// The packed kernels of the 2-bit-based K types, generic over the type (<see cref="IPackedK2"/>) and the
/// instruction set. A sub-block's four steps add their byte products as int16 (4·4·7·127 fits), then one
/// int16 multiply-add applies the sub-block's scale, doubled into both halves of every lane.
/// </summary>
internal static unsafe class PackedK2<T> where T : IPackedK2
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += T.PackedBlock)
            finite &= T.PackBlock(src + b * T.BlockBytes, rowBytes, dst);
        return finite;
    }

    /// <summary>
    /// Every tile size accumulates a token's super-blocks in the same order with the same operations (the integer
    /// sums are exact), so a token's result does not depend on the batch it came in.
    /// </summary>
    public static void Tile<TIsa>(byte* g, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
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

    /// <summary>The activations' 16-value sums of sub-blocks 2p and 2p + 1 in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> BSumPair(short* bs, int p) => Vector256.Create(*(int*)(bs + 2 * p)).AsInt16();

    /// <summary>Σ code·x over one sub-block's 16 values for eight rows, as int16 pairs (x: the sub-block's first code).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> SubBlock(Vector256<byte> c0, Vector256<byte> c1, Vector256<byte> c2, Vector256<byte> c3, sbyte* x) =>
        Avx2.MultiplyAddAdjacent(c0, PackedKernel.Broadcast4(x)) + Avx2.MultiplyAddAdjacent(c1, PackedKernel.Broadcast4(x + 4))
        + Avx2.MultiplyAddAdjacent(c2, PackedKernel.Broadcast4(x + 8)) + Avx2.MultiplyAddAdjacent(c3, PackedKernel.Broadcast4(x + 12));

    private static void Packed1<TIsa>(byte* g, sbyte* q0, float* dx, short* bs0, int nb, float* y) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        for (int b = 0; b < nb; b++, g += T.PackedBlock)
        {
            var s0 = Vector256<int>.Zero; var n0 = Vector256<int>.Zero;
            sbyte* x = q0 + 256 * b;
            short* bs = bs0 + 16 * b;
            for (int p = 0; p < 8; p++)
            {
                int h = p >> 2, c = p & 3;
                var pair = T.Pair(g, p);
                var sc = T.Scales(pair);
                n0 = TIsa.DotI16(n0, T.Mins(pair), BSumPair(bs, p));
                var e0 = SubBlock(T.Codes(g, h, c, 0, 0), T.Codes(g, h, c, 0, 1), T.Codes(g, h, c, 0, 2), T.Codes(g, h, c, 0, 3), x + 32 * p);
                var e1 = SubBlock(T.Codes(g, h, c, 1, 0), T.Codes(g, h, c, 1, 1), T.Codes(g, h, c, 1, 2), T.Codes(g, h, c, 1, 3), x + 32 * p + 16);
                s0 = TIsa.DotI16(TIsa.DotI16(s0, e0, Vec.Duplicate(sc, Vec.Half(0))), e1, Vec.Duplicate(sc, Vec.Half(1)));
            }
            f0 = T.Finish(g, s0, n0, dx[b], f0);
        }
        f0.Store(y);
    }

    private static void Packed4<TIsa>(byte* g, sbyte* q0, float* dx, short* bs0, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        int sums = cols / 16;
        for (int b = 0; b < nb; b++, g += T.PackedBlock)
        {
            var s0 = Vector256<int>.Zero; var s1 = Vector256<int>.Zero; var s2 = Vector256<int>.Zero; var s3 = Vector256<int>.Zero;
            var n0 = Vector256<int>.Zero; var n1 = Vector256<int>.Zero; var n2 = Vector256<int>.Zero; var n3 = Vector256<int>.Zero;
            sbyte* x = q0 + 256 * b;
            short* bs = bs0 + 16 * b;
            for (int p = 0; p < 8; p++)
            {
                int h = p >> 2, c = p & 3;
                var pair = T.Pair(g, p);
                var sc = T.Scales(pair);
                var mn = T.Mins(pair);
                n0 = TIsa.DotI16(n0, mn, BSumPair(bs, p));
                n1 = TIsa.DotI16(n1, mn, BSumPair(bs + sums, p));
                n2 = TIsa.DotI16(n2, mn, BSumPair(bs + 2 * sums, p));
                n3 = TIsa.DotI16(n3, mn, BSumPair(bs + 3 * sums, p));
                for (int kh = 0; kh < 2; kh++)
                {
                    var c0 = T.Codes(g, h, c, kh, 0);
                    var c1 = T.Codes(g, h, c, kh, 1);
                    var c2 = T.Codes(g, h, c, kh, 2);
                    var c3 = T.Codes(g, h, c, kh, 3);
                    var scale = Vec.Duplicate(sc, Vec.Half(kh));
                    sbyte* xs = x + 32 * p + 16 * kh;
                    s0 = TIsa.DotI16(s0, SubBlock(c0, c1, c2, c3, xs), scale);
                    s1 = TIsa.DotI16(s1, SubBlock(c0, c1, c2, c3, xs + cols), scale);
                    s2 = TIsa.DotI16(s2, SubBlock(c0, c1, c2, c3, xs + 2 * cols), scale);
                    s3 = TIsa.DotI16(s3, SubBlock(c0, c1, c2, c3, xs + 3 * cols), scale);
                }
            }
            f0 = T.Finish(g, s0, n0, dx[b], f0);
            f1 = T.Finish(g, s1, n1, dx[nb + b], f1);
            f2 = T.Finish(g, s2, n2, dx[2 * nb + b], f2);
            f3 = T.Finish(g, s3, n3, dx[3 * nb + b], f3);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }

    /// <summary>
    /// Stores the scale bytes of eight rows pairwise (see <see cref="IPackedK2"/>): dst[16p + 2r + j] = scale(row r, sub-block 2p + j),
    /// scale(src of row r, sub-block) being the type's byte.
    /// </summary>
    public static void PackScales(byte* src, nint rowBytes, delegate*<byte*, int, byte> scale, byte* dst)
    {
        for (int r = 0; r < PackedKernel.GroupRows; r++)
            for (int sb = 0; sb < 16; sb++)
                dst[16 * (sb >> 1) + 2 * r + (sb & 1)] = scale(src + r * rowBytes, sb);
    }
}

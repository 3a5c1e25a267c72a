using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct IQ4_XSDot
{
    // Packed super-block of a group (1104 bytes, 16 more than the eight rows' 1088): [0, 16) the rows' fp16 d;
    // [16, 80) the sub-block scales ls − 32 as signed bytes, [sub-block j][row r]; [80, 1104) qs interleaved,
    // 32 vectors: vector 4j + k holds bytes 4k..4k+3 of sub-block j's 16-byte run, row r in lane r (low nibbles
    // are elements 32j + 4k.., high ones 32j + 16 + 4k..). Levels are signed (±127): their magnitudes go in
    // unsigned, their signs onto the activation codes, and each int16 pair sum (≤ 2·127·127) widens through the
    // sub-block's scale in one int16 multiply-add.

    public const int PackedBlock = 1104;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += PackedBlock)
        {
            byte* s0 = src + b * BlockBytes;
            finite &= Packed32Parts.Halves(s0, rowBytes, 0, dst);
            for (int r = 0; r < PackedKernel.GroupRows; r++)
            {
                byte* s = s0 + r * rowBytes;
                int scalesH = *(ushort*)(s + 2);
                for (int j = 0; j < 8; j++)
                    dst[16 + 8 * j + r] = (byte)(sbyte)((((s[4 + j / 2] >> (4 * (j % 2))) & 0xF) | (((scalesH >> (2 * j)) & 3) << 4)) - 32);
            }
            PackedKernel.Interleave(s0 + 8, rowBytes, 32, dst + 80);
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
        int i = 0;
        for (; i + 4 <= count; i += 4)
            Packed4<TIsa>(g, q + (nint)i * cols, d + i * nb, cols, nb, y + i * yStride, yStride);
        for (; i < count; i++)
            Packed1<TIsa>(g, q + (nint)i * cols, d + i * nb, nb, y + i * yStride);
    }

    /// <summary>Sub-block j's scales: lane r holds row r's scale in both int16 halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Scale(byte* g, int j)
    {
        var s = Avx2.ConvertToVector256Int32((sbyte*)(g + 16 + 8 * j));
        return ((s & Vector256.Create(0xFFFF)) | Vector256.ShiftLeft(s, 16)).AsInt16();
    }

    /// <summary>Step k of sub-block j: the levels' magnitudes and the levels (for their signs), low and high nibbles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Levels(byte* g, int j, int k, out Vector256<byte> lo, out Vector256<byte> hi, out Vector256<sbyte> signLo, out Vector256<sbyte> signHi)
    {
        Packed32Parts.Nibbles(g + 80 + 128 * j, k, out var nl, out var nh);
        signLo = Avx2.Shuffle(IQ4_NLDot.Levels, nl.AsSByte());
        signHi = Avx2.Shuffle(IQ4_NLDot.Levels, nh.AsSByte());
        lo = Avx2.Shuffle(IQ4_NLDot.Magnitudes, nl);
        hi = Avx2.Shuffle(IQ4_NLDot.Magnitudes, nh);
    }

    /// <summary>acc + scale·(Σ level·x) over step k's codes of one token (x: the sub-block's first activation code).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Step<TIsa>(Vector256<int> acc, Vector256<byte> lo, Vector256<byte> hi, Vector256<sbyte> signLo, Vector256<sbyte> signHi, sbyte* x, int k, Vector256<short> scale) where TIsa : IInt8Isa
    {
        var pl = Avx2.MultiplyAddAdjacent(lo, Avx2.Sign(PackedKernel.Broadcast4(x + 4 * k), signLo));
        var ph = Avx2.MultiplyAddAdjacent(hi, Avx2.Sign(PackedKernel.Broadcast4(x + 16 + 4 * k), signHi));
        return TIsa.DotI16(TIsa.DotI16(acc, pl, scale), ph, scale);
    }

    private static void Packed1<TIsa>(byte* g, sbyte* q0, float* dx, int nb, float* y) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            var s0 = Vector256<int>.Zero;
            sbyte* x = q0 + 256 * b;
            for (int j = 0; j < 8; j++)
            {
                var scale = Scale(g, j);
                for (int k = 0; k < 4; k++)
                {
                    Levels(g, j, k, out var lo, out var hi, out var sl, out var sh);
                    s0 = Step<TIsa>(s0, lo, hi, sl, sh, x + 32 * j, k, scale);
                }
            }
            f0 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s0), PackedKernel.Halves(g) * Vector256.Create(dx[b]), f0);
        }
        f0.Store(y);
    }

    private static void Packed4<TIsa>(byte* g, sbyte* q0, float* dx, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        for (int b = 0; b < nb; b++, g += PackedBlock)
        {
            var s0 = Vector256<int>.Zero; var s1 = Vector256<int>.Zero; var s2 = Vector256<int>.Zero; var s3 = Vector256<int>.Zero;
            sbyte* x = q0 + 256 * b;
            for (int j = 0; j < 8; j++)
            {
                var scale = Scale(g, j);
                sbyte* xj = x + 32 * j;
                for (int k = 0; k < 4; k++)
                {
                    Levels(g, j, k, out var lo, out var hi, out var sl, out var sh);
                    s0 = Step<TIsa>(s0, lo, hi, sl, sh, xj, k, scale);
                    s1 = Step<TIsa>(s1, lo, hi, sl, sh, xj + cols, k, scale);
                    s2 = Step<TIsa>(s2, lo, hi, sl, sh, xj + 2 * cols, k, scale);
                    s3 = Step<TIsa>(s3, lo, hi, sl, sh, xj + 3 * cols, k, scale);
                }
            }
            var d = PackedKernel.Halves(g);
            f0 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s0), d * Vector256.Create(dx[b]), f0);
            f1 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s1), d * Vector256.Create(dx[nb + b]), f1);
            f2 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s2), d * Vector256.Create(dx[2 * nb + b]), f2);
            f3 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s3), d * Vector256.Create(dx[3 * nb + b]), f3);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }
}

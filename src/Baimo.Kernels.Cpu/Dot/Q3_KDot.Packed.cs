using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q3_KDot : IPackedK2
{
    // Packed super-block of a group (912 bytes, 32 more than the eight rows' 880), in the order the kernels read it:
    // [0, 16) the rows' fp16 d; [16, 144) the scales unpacked to signed bytes (scale − 32), pairwise (see
    // IPackedK2); [144, 400) hmask interleaved, 8 vectors (vector k: hmask[4k..4k+3] of row r in lane r; bit
    // 4h + c of hmask[l] is the third bit of element 128h + 32c + l), read with every half's codes; [400, 912) qs
    // interleaved, 16 vectors. Codes low + 4·high (0..7) go in unsigned; the −4 comes back as −4·Σ_sb scale·bsum.

    static int IPackedK2.BlockBytes => BlockBytes;

    public static int PackedBlock => 912;

    public static bool PackBlock(byte* src, nint rowBytes, byte* dst)
    {
        bool finite = Packed32Parts.Halves(src, rowBytes, 108, dst);
        PackedK2<Q3_KDot>.PackScales(src, rowBytes, &ScaleByte, dst + 16);
        PackedKernel.Interleave(src + 32, rowBytes, 16, dst + 400);
        PackedKernel.Interleave(src, rowBytes, 8, dst + 144);
        return finite;
    }

    private static byte ScaleByte(byte* block, int sb) => (byte)(sbyte)(ScaleCode(block + 96, sb) - 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Codes(byte* g, int h, int c, int kh, int k4)
    {
        var low = Vector256.ShiftRightLogical(Vector256.Load((ushort*)(g + 400 + 32 * (8 * h + 4 * kh + k4))), 2 * c).AsByte() & Vector256.Create((byte)3);
        var high = Vector256.ShiftRightLogical(Vector256.Load((ushort*)(g + 144 + 32 * (4 * kh + k4))), 4 * h + c).AsByte() & Vector256.Create((byte)1);
        return low | Vector256.ShiftLeft(high.AsUInt16(), 2).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Pair(byte* g, int p) => Avx2.ConvertToVector256Int16((sbyte*)(g + 16 + 16 * p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Scales(Vector256<short> pair) => pair;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Mins(Vector256<short> pair) => pair;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Finish(byte* g, Vector256<int> s, Vector256<int> n, float dx, Vector256<float> f) =>
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s - Vector256.ShiftLeft(n, 2)), PackedKernel.Halves(g) * Vector256.Create(dx), f);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q2_KDot : IPackedK2
{
    // Packed super-block of a group (672 bytes, the eight rows' size): [0, 16) the rows' fp16 d; [16, 32) their
    // fp16 dmin; [32, 160) the scale bytes pairwise (scale in the low nibble, min in the high one; see IPackedK2);
    // [160, 672) qs interleaved, 16 vectors.

    static int IPackedK2.BlockBytes => BlockBytes;

    public static int PackedBlock => 672;

    public static bool PackBlock(byte* src, nint rowBytes, byte* dst)
    {
        bool finite = Packed32Parts.Halves(src, rowBytes, 80, dst) & Packed32Parts.Halves(src, rowBytes, 82, dst + 16);
        PackedK2<Q2_KDot>.PackScales(src, rowBytes, &ScaleByte, dst + 32);
        PackedKernel.Interleave(src + 16, rowBytes, 16, dst + 160);
        return finite;
    }

    private static byte ScaleByte(byte* block, int sb) => block[sb];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Codes(byte* g, int h, int c, int kh, int k4) =>
        Vector256.ShiftRightLogical(Vector256.Load((ushort*)(g + 160 + 32 * (8 * h + 4 * kh + k4))), 2 * c).AsByte() & Vector256.Create((byte)3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Pair(byte* g, int p) => Avx2.ConvertToVector256Int16(g + 32 + 16 * p).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Scales(Vector256<short> pair) => pair & Vector256.Create((short)0x0F);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Mins(Vector256<short> pair) => Vector256.ShiftRightLogical(pair, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Finish(byte* g, Vector256<int> s, Vector256<int> n, float dx, Vector256<float> f)
    {
        var x = Vector256.Create(dx);
        f = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(s), PackedKernel.Halves(g) * x, f);
        return Fma.MultiplyAddNegated(Vector256.ConvertToSingle(n), PackedKernel.Halves(g + 16) * x, f);
    }
}

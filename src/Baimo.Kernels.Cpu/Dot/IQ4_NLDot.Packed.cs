using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct IQ4_NLDot : IPacked32
{
    // Packed block of a group (144 bytes): the 8 rows' fp16 d, then the four nibble vectors, as Q4_0. A byte
    // shuffle maps nibbles to levels; the levels are signed (±127), so their magnitudes go in unsigned and their
    // signs move onto the activation codes. Two such products of 127·127 fill an int16, so without VNNI each
    // half widens on its own.

    static int IPacked32.BlockBytes => BlockBytes;

    // Read-only statics: constants to the optimizing JIT.
    internal static readonly Vector256<sbyte> Levels = LevelTable();
    internal static readonly Vector256<byte> Magnitudes = Vector256.Abs(LevelTable()).AsByte();

    public static int PackedBlock => 144;

    public static bool PackBlock(byte* src, nint rowBytes, byte* dst)
    {
        bool finite = Packed32Parts.Halves(src, rowBytes, 0, dst);
        PackedKernel.Interleave(src + 2, rowBytes, 4, dst + 16);
        return finite;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* g, int k, out Vector256<byte> lo, out Vector256<byte> hi, out Vector256<sbyte> signLo, out Vector256<sbyte> signHi)
    {
        Packed32Parts.Nibbles(g + 16, k, out var nl, out var nh);
        signLo = Avx2.Shuffle(Levels, nl.AsSByte());
        signHi = Avx2.Shuffle(Levels, nh.AsSByte());
        lo = Avx2.Shuffle(Magnitudes, nl);
        hi = Avx2.Shuffle(Magnitudes, nh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot<TIsa>(Vector256<int> acc, Vector256<byte> lo, Vector256<byte> hi, Vector256<sbyte> signLo, Vector256<sbyte> signHi, Vector256<sbyte> xl, Vector256<sbyte> xh) where TIsa : IInt8Isa =>
        TIsa.DotU8S8(TIsa.DotU8S8(acc, lo, Avx2.Sign(xl, signLo)), hi, Avx2.Sign(xh, signHi));

    // The products already widen as they go (two of 127·127 fill an int16): the partial sums are int32.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Widen<TIsa>(Vector256<int> acc, Vector256<int> p) where TIsa : IInt8Isa => acc + p;

    public static bool HasMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(byte* g, Vector256<float> d) => default;

    public static float* Sums(Activations* a) => a->DS;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_0Dot : IPacked32
{
    // Packed block of a group (144 bytes): the 8 rows' fp16 d, then the four nibble vectors. The nibbles go in
    // unsigned (0..15) against the signed activation codes; the −8 comes back as −8·d_w·(d_x·Σcode) per block,
    // from the activations' block sums.

    static int IPacked32.BlockBytes => BlockBytes;

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
        Packed32Parts.Nibbles(g + 16, k, out lo, out hi);
        signLo = signHi = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(byte* g, Vector256<float> d) => d * Vector256.Create(Offset);

    public static float* Sums(Activations* a) => a->DS;

    public static float Offset => -8f;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_1Dot : IPacked32
{
    // Packed block of a group (160 bytes): the 8 rows' fp16 d, their fp16 m, then the four nibble vectors.
    // Per block: d_w·d_x·Σ nibble·code + m·s_x.

    static int IPacked32.BlockBytes => BlockBytes;

    public static int PackedBlock => 160;

    public static bool PackBlock(byte* src, nint rowBytes, byte* dst)
    {
        bool finite = Packed32Parts.Halves(src, rowBytes, 0, dst) & Packed32Parts.Halves(src, rowBytes, 2, dst + 16);
        PackedKernel.Interleave(src + 4, rowBytes, 4, dst + 32);
        return finite;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* g, int k, out Vector256<byte> lo, out Vector256<byte> hi, out Vector256<sbyte> signLo, out Vector256<sbyte> signHi)
    {
        Packed32Parts.Nibbles(g + 32, k, out lo, out hi);
        signLo = signHi = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(byte* g, Vector256<float> d) => PackedKernel.Halves(g + 16);

    public static float* Sums(Activations* a) => a->S;

    public static int MinAt => 2;

    public static int CodesAt => 4;

    public static int WideCodesAt => 64;
}

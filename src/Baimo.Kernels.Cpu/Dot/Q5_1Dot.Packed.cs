using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q5_1Dot : IPacked32
{
    // Packed block of a group (192 bytes): the 8 rows' fp16 d, their fp16 m, their fifth bits rearranged for the
    // nibble steps (Packed32Parts.FifthBits, 32 bytes), then the four nibble vectors. Per block:
    // d_w·d_x·Σ code·x + m·s_x.

    static int IPacked32.BlockBytes => BlockBytes;

    public static int PackedBlock => 192;

    public static bool PackBlock(byte* src, nint rowBytes, byte* dst)
    {
        bool finite = Packed32Parts.Halves(src, rowBytes, 0, dst) & Packed32Parts.Halves(src, rowBytes, 2, dst + 16);
        Packed32Parts.FifthBits(src, rowBytes, 4, dst + 32);
        PackedKernel.Interleave(src + 8, rowBytes, 4, dst + 64);
        return finite;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* g, int k, out Vector256<byte> lo, out Vector256<byte> hi, out Vector256<sbyte> signLo, out Vector256<sbyte> signHi)
    {
        Packed32Parts.Nibbles(g + 64, k, out lo, out hi);
        Packed32Parts.AddFifth(g + 32, k, ref lo, ref hi);
        signLo = signHi = default;
    }

    public static bool WidenTwice => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(byte* g, Vector256<float> d) => PackedKernel.Halves(g + 16);

    public static float* Sums(Activations* a) => a->S;

    public static int MinAt => 2;

    public static int HighAt => 4;

    public static int CodesAt => 8;

    public static int WideHighAt => 64;

    public static int WideCodesAt => 128;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q5_0Dot : IPacked32
{
    // Packed block of a group (176 bytes): the 8 rows' fp16 d, their fifth bits rearranged for the nibble steps
    // (Packed32Parts.FifthBits, 32 bytes), then the four nibble vectors. Codes 0..31 go in unsigned; the −16
    // comes back as −16·d_w·(d_x·Σcode) per block.

    static int IPacked32.BlockBytes => BlockBytes;

    public static int PackedBlock => 176;

    public static bool PackBlock(byte* src, nint rowBytes, byte* dst)
    {
        bool finite = Packed32Parts.Halves(src, rowBytes, 0, dst);
        Packed32Parts.FifthBits(src, rowBytes, 2, dst + 16);
        PackedKernel.Interleave(src + 6, rowBytes, 4, dst + 48);
        return finite;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* g, int k, out Vector256<byte> lo, out Vector256<byte> hi, out Vector256<sbyte> signLo, out Vector256<sbyte> signHi)
    {
        Packed32Parts.Nibbles(g + 48, k, out lo, out hi);
        Packed32Parts.AddFifth(g + 16, k, ref lo, ref hi);
        signLo = signHi = default;
    }

    public static bool WidenTwice => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(byte* g, Vector256<float> d) => d * Vector256.Create(Offset);

    public static float* Sums(Activations* a) => a->DS;

    public static float Offset => -16f;

    public static int HighAt => 2;

    public static int CodesAt => 6;

    public static int WideHighAt => 32;

    public static int WideCodesAt => 96;
}

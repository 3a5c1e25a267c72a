using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The block as the 128-bit kernels read it (Block32x128): the codes as they are stored.
internal unsafe partial struct Q8_0Dot : IBlock32
{
    static int IBlock32.BlockBytes => BlockBytes;
    public static bool HasBlockMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* w, out Vector128<sbyte> lo, out Vector128<sbyte> hi)
    {
        lo = Vector128.Load((sbyte*)(w + 2));
        hi = Vector128.Load((sbyte*)(w + 18));
    }

    public static float Scale(byte* w) => Half(w);
    public static float Min(byte* w) => 0f;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The block as the 128-bit kernels read it (Block32x128): nibbles, with d and m.
internal unsafe partial struct Q4_1Dot : IBlock32
{
    static int IBlock32.BlockBytes => BlockBytes;
    public static bool HasBlockMin => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* w, out Vector128<sbyte> lo, out Vector128<sbyte> hi)
    {
        var v = Vector128.Load(w + 4);
        lo = V128.Low(v);
        hi = V128.High(v);
    }

    public static float Scale(byte* w) => Half(w);
    public static float Min(byte* w) => Half(w + 2);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The block as the 128-bit kernels read it (Block32x128): each nibble looked up among the 16 levels.
internal unsafe partial struct IQ4_NLDot : IBlock32
{
    static int IBlock32.BlockBytes => BlockBytes;
    public static bool HasBlockMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* w, out Vector128<sbyte> lo, out Vector128<sbyte> hi)
    {
        var v = Vector128.Load(w + 2);
        var levels = V128.IQ4Table;
        lo = V128.Lookup(levels, V128.Low(v));
        hi = V128.Lookup(levels, V128.High(v));
    }

    public static float Scale(byte* w) => Half(w);
    public static float Min(byte* w) => 0f;
}

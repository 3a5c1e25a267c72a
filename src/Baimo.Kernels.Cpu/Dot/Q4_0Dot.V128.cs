using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The block as the 128-bit kernels read it (Block32x128): nibbles − 8.
internal unsafe partial struct Q4_0Dot : IBlock32
{
    static int IBlock32.BlockBytes => BlockBytes;
    public static bool HasBlockMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* w, out Vector128<sbyte> lo, out Vector128<sbyte> hi)
    {
        var v = Vector128.Load(w + 2);
        var eight = Vector128.Create((sbyte)8);
        lo = V128.Low(v) - eight;
        hi = V128.High(v) - eight;
    }

    public static float Scale(byte* w) => Half(w);
    public static float Min(byte* w) => 0f;
}

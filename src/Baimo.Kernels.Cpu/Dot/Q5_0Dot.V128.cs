using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The block as the 128-bit kernels read it (Block32x128): nibble + 16·fifth bit − 16.
internal unsafe partial struct Q5_0Dot : IBlock32
{
    static int IBlock32.BlockBytes => BlockBytes;
    public static bool HasBlockMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Codes(byte* w, out Vector128<sbyte> lo, out Vector128<sbyte> hi)
    {
        uint qh = *(uint*)(w + 2);
        var v = Vector128.Load(w + 6);
        var sixteen = Vector128.Create((sbyte)16);
        lo = (V128.Low(v) | V128.BitsToBytes(qh, 16)) - sixteen;
        hi = (V128.High(v) | V128.BitsToBytes(qh >> 16, 16)) - sixteen;
    }

    public static float Scale(byte* w) => Half(w);
    public static float Min(byte* w) => 0f;
}

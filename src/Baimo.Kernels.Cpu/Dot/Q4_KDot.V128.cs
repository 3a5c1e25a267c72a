using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The super-block as the 128-bit kernels read it (Super256x128): nibbles; a sub-block's scale and min serve both its 16-value halves.
internal unsafe partial struct Q4_KDot : ISuper256
{
    static int ISuper256.BlockBytes => BlockBytes;
    public static bool HasMins => true;

    public static float Decode(byte* w, sbyte* codes, int* scales, short* mins)
    {
        byte* qs = w + 16;
        for (int c = 0; c < 4; c++, qs += 32, codes += 64)
        {
            var v0 = Vector128.Load(qs);
            var v1 = Vector128.Load(qs + 16);
            V128.Low(v0).Store(codes);
            V128.Low(v1).Store(codes + 16);
            V128.High(v0).Store(codes + 32);
            V128.High(v1).Store(codes + 48);
        }
        Super256x128.ScalesMinsK4(w + 4, scales, mins);
        return Half(w);
    }

    public static float MinScale(byte* w) => Half(w + 2);
}

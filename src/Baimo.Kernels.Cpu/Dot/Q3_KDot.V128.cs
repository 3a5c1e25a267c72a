using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The super-block as the 128-bit kernels read it (Super256x128): 2-bit codes + 4·hmask bit − 4; 6-bit scales − 32.
internal unsafe partial struct Q3_KDot : ISuper256
{
    static int ISuper256.BlockBytes => BlockBytes;
    public static bool HasMins => false;

    public static float Decode(byte* w, sbyte* codes, int* scales, short* mins)
    {
        var three = Vector128.Create((byte)3);
        var four = Vector128.Create((sbyte)4);
        var m0 = Vector128.Load(w);
        var m1 = Vector128.Load(w + 16);
        for (int h = 0; h < 2; h++)
        {
            var v0 = Vector128.Load(w + 32 + 32 * h);
            var v1 = Vector128.Load(w + 48 + 32 * h);
            for (int j = 0; j < 4; j++)
            {
                int k = 4 * h + j;
                sbyte* c = codes + 32 * k;
                ((Vector128.ShiftRightLogical(v0, 2 * j) & three).AsSByte() + V128.BitOf(m0, k, 4) - four).Store(c);
                ((Vector128.ShiftRightLogical(v1, 2 * j) & three).AsSByte() + V128.BitOf(m1, k, 4) - four).Store(c + 16);
            }
        }
        for (int g = 0; g < 16; g++) scales[g] = ScaleCode(w + 96, g) - 32;
        return Half(w + 108);
    }

    public static float MinScale(byte* w) => 0f;
}

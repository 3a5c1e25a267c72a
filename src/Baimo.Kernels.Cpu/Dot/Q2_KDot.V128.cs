using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The super-block as the 128-bit kernels read it (Super256x128): 2-bit codes; scales and mins from the nibbles of scales[16].
internal unsafe partial struct Q2_KDot : ISuper256
{
    static int ISuper256.BlockBytes => BlockBytes;
    public static bool HasMins => true;

    public static float Decode(byte* w, sbyte* codes, int* scales, short* mins)
    {
        var three = Vector128.Create((byte)3);
        for (int h = 0; h < 2; h++)
        {
            var v0 = Vector128.Load(w + 16 + 32 * h);
            var v1 = Vector128.Load(w + 32 + 32 * h);
            for (int j = 0; j < 4; j++)
            {
                sbyte* c = codes + 128 * h + 32 * j;
                (Vector128.ShiftRightLogical(v0, 2 * j) & three).AsSByte().Store(c);
                (Vector128.ShiftRightLogical(v1, 2 * j) & three).AsSByte().Store(c + 16);
            }
        }
        for (int g = 0; g < 16; g++)
        {
            scales[g] = w[g] & 0xF;
            mins[g] = (short)(w[g] >> 4);
        }
        return Half(w + 80);
    }

    public static float MinScale(byte* w) => Half(w + 82);
}

using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The super-block as the 128-bit kernels read it (Super256x128): IQ4_NL-style runs of levels; a sub-block's scale serves both halves.
internal unsafe partial struct IQ4_XSDot : ISuper256
{
    static int ISuper256.BlockBytes => BlockBytes;
    public static bool HasMins => false;

    public static float Decode(byte* w, sbyte* codes, int* scales, short* mins)
    {
        var levels = V128.IQ4Table;
        int scalesH = *(ushort*)(w + 2);
        for (int j = 0; j < 8; j++)
        {
            var v = Vector128.Load(w + 8 + 16 * j);
            V128.Lookup(levels, V128.Low(v)).Store(codes + 32 * j);
            V128.Lookup(levels, V128.High(v)).Store(codes + 32 * j + 16);
            int ls = ((w[4 + j / 2] >> (4 * (j % 2))) & 0xF) | (((scalesH >> (2 * j)) & 3) << 4);
            scales[2 * j] = scales[2 * j + 1] = ls - 32;
        }
        return Half(w);
    }

    public static float MinScale(byte* w) => 0f;
}

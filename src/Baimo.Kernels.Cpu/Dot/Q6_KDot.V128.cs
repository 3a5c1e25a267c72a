using System.Runtime.Intrinsics;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

// The super-block as the 128-bit kernels read it (Super256x128): low nibbles from ql and two high bits from qh, less 32.
internal unsafe partial struct Q6_KDot : ISuper256
{
    static int ISuper256.BlockBytes => BlockBytes;
    public static bool HasMins => false;

    public static float Decode(byte* w, sbyte* codes, int* scales, short* mins)
    {
        var hb = Vector128.Create((byte)0x30);
        var off = Vector128.Create((sbyte)32);
        for (int h = 0; h < 2; h++)
            for (int k = 0; k < 2; k++)
            {
                byte* ql = w + 64 * h + 16 * k;
                var a = Vector128.Load(ql);
                var b = Vector128.Load(ql + 32);
                var qh = Vector128.Load(w + 128 + 32 * h + 16 * k);
                sbyte* c = codes + 128 * h + 16 * k;
                ((V128.Low(a) | (Vector128.ShiftLeft(qh, 4) & hb).AsSByte()) - off).Store(c);
                ((V128.Low(b) | (Vector128.ShiftLeft(qh, 2) & hb).AsSByte()) - off).Store(c + 32);
                ((V128.High(a) | (qh & hb).AsSByte()) - off).Store(c + 64);
                ((V128.High(b) | (Vector128.ShiftRightLogical(qh, 2) & hb).AsSByte()) - off).Store(c + 96);
            }
        sbyte* sc = (sbyte*)(w + 192);
        for (int g = 0; g < 16; g++) scales[g] = sc[g];
        return Half(w + 208);
    }

    public static float MinScale(byte* w) => 0f;
}

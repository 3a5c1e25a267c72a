using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q5_KDot
{
    // Packed super-block of a group (1440 bytes, 32 more than the eight rows' 1408), in the order the kernels read
    // it: Q4_K's header (d, dmin, unpacked scales and mins, [0, 160)), then [160, 416) the rows' qh interleaved:
    // vector k (32 bytes) holds qh[4k .. 4k + 3] of row r in lane r, then [416, 1440) Q4_K's interleaved low four
    // bits of every code. Bit 2c of qh[l] is the fifth bit of element 64c + l, bit 2c + 1 that of element
    // 64c + 32 + l, so step k of every chunk reads the same vector (from L1 after the first chunk). The packed Q4_K
    // kernels run it (Q5HighBits adds the fifth bit); codes up to 31 widen their int16 partial sums every four steps
    // (4·2·31·127 fits).

    /// <summary>Bytes of a packed super-block of a group.</summary>
    public const int PackedBlock = Q4_KDot.PackedBlock + 256;

    /// <summary>Where the interleaved qh vectors start: after the scales and mins, before the nibbles they go with.</summary>
    public const int HighAt = 160;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += PackedBlock)
        {
            byte* block = src + b * BlockBytes;
            finite &= Q4_KDot.PackSuperBlock(block, rowBytes, 48, dst, Q5HighBits.CodesAt);
            PackedKernel.Interleave(block + 16, rowBytes, 8, dst + HighAt);
        }
        return finite;
    }
}

/// <summary>Q5_K's fifth bits, from the qh vectors at the end of its packed super-block.</summary>
internal unsafe struct Q5HighBits : IK4HighBits
{
    public static int BlockBytes => Q5_KDot.PackedBlock;

    public static int CodesAt => Q5_KDot.HighAt + 256;

    public static bool WidenHalfway => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(byte* g, int c, int k, ref Vector256<byte> lo, ref Vector256<byte> hi)
    {
        // Bits 2c and 2c + 1 of each byte moved to bits 0 and 1 (16-bit shifts: a byte's bits stay in the byte
        // for the positions used), then to bit 4 and added as 16.
        var t = Vector256.ShiftRightLogical(Vector256.Load((ushort*)(g + Q5_KDot.HighAt + 32 * k)), 2 * c);
        var sixteen = Vector256.Create((byte)0x10);
        lo |= Vector256.ShiftLeft(t, 4).AsByte() & sixteen;
        hi |= Vector256.ShiftLeft(t, 3).AsByte() & sixteen;
    }
}

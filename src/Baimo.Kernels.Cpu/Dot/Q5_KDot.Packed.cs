using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q5_KDot
{
    // Packed super-block of a group (1440 bytes, 32 more than the eight rows' 1408): Q4_K's packed super-block
    // (d, dmin, unpacked scales and mins, the interleaved low four bits of every code), then [1184, 1440) the
    // rows' qh interleaved the same way: vector k (32 bytes) holds qh[4k .. 4k + 3] of row r in lane r. Bit 2c of
    // qh[l] is the fifth bit of element 64c + l, bit 2c + 1 that of element 64c + 32 + l, so step k of every chunk
    // reads the same vector. The packed Q4_K kernels run it (Q5HighBits adds the fifth bit); codes up to 31 keep
    // the AVX2 form's int16 pair sums in range (4·31·127).

    /// <summary>Bytes of a packed super-block of a group.</summary>
    public const int PackedBlock = Q4_KDot.PackedBlock + 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += PackedBlock)
        {
            byte* block = src + b * BlockBytes;
            finite &= Q4_KDot.PackSuperBlock(block, rowBytes, 48, dst);
            PackedKernel.Interleave(block + 16, rowBytes, 8, dst + Q4_KDot.PackedBlock);
        }
        return finite;
    }
}

/// <summary>Q5_K's fifth bits, from the qh vectors at the end of its packed super-block.</summary>
internal unsafe struct Q5HighBits : IK4HighBits
{
    public static int BlockBytes => Q5_KDot.PackedBlock;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(byte* g, int c, int k, ref Vector256<byte> lo, ref Vector256<byte> hi)
    {
        // Bits 2c and 2c + 1 of each byte moved to bits 0 and 1 (16-bit shifts: a byte's bits stay in the byte
        // for the positions used), then to bit 4 and added as 16.
        var t = Vector256.ShiftRightLogical(Vector256.Load((ushort*)(g + Q4_KDot.PackedBlock + 32 * k)), 2 * c);
        var sixteen = Vector256.Create((byte)0x10);
        lo |= Vector256.ShiftLeft(t, 4).AsByte() & sixteen;
        hi |= Vector256.ShiftLeft(t, 3).AsByte() & sixteen;
    }
}

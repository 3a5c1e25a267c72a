using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Arithmetic helpers that reproduce, bit for bit, the integer conversions ggml's C reference relies on.
/// Byte-identical quantization depends on them: .NET's own float → int conversions saturate, C's compile
/// to x86 instructions that do something else at the edges.
/// </summary>
internal static class QuantMath
{
    /// <summary>
    /// ggml's <c>nearest_int</c>: adding 1.5·2^23 makes the FPU round to an integer (half to even) that
    /// lands in the low mantissa bits. Reproduced with the same bit trick so that out-of-range and NaN
    /// inputs give the same (meaningless but deterministic) answer as ggml.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NearestInt(float x)
    {
        float v = x + 12582912f;
        return (int)(BitConverter.SingleToUInt32Bits(v) & 0x007FFFFFu) - 0x00400000;
    }

    /// <summary>
    /// C's float → integer cast as x86-64 compiles it (cvttss2si): truncate toward zero; NaN and values
    /// outside the int32 range give int.MinValue. Casting the result to a narrower type keeps the low bits,
    /// like C's conversion to int8_t/uint8_t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TruncateX86(float x) => x >= -2147483648f && x < 2147483648f ? (int)x : int.MinValue;

    /// <summary>Reads a little-endian fp16 at <paramref name="offset"/> as a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReadHalf(ReadOnlySpan<byte> block, int offset) =>
        Fp16.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(block.Slice(offset, 2)));

    /// <summary>Writes <paramref name="value"/> as a little-endian fp16 and returns the float it now stands for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WriteHalf(Span<byte> block, int offset, float value)
    {
        ushort h = Fp16.FromSingle(value);
        BinaryPrimitives.WriteUInt16LittleEndian(block.Slice(offset, 2), h);
        return Fp16.ToSingle(h);
    }

    /// <summary>
    /// The 6-bit scale and min of sub-block <paramref name="j"/> (0..7) from the 12 packed bytes of a
    /// Q4_K/Q5_K super-block: bytes 0..3 hold scales 0..3 (+2 high bits of scales 4..7), bytes 4..7 the
    /// mins 0..3 (+2 high bits of mins 4..7), bytes 8..11 the low nibbles of scale/min 4..7.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GetScaleMinK4(int j, ReadOnlySpan<byte> q, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = q[j] & 63;
            min = q[j + 4] & 63;
        }
        else
        {
            scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
            min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
        }
    }

    /// <summary>Packs eight 6-bit scales and mins into the 12-byte Q4_K/Q5_K layout read by <see cref="GetScaleMinK4"/>.</summary>
    public static void PackScaleMinK4(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins, Span<byte> q)
    {
        for (int j = 0; j < 8; j++)
        {
            byte ls = scales[j], lm = mins[j];
            if (j < 4)
            {
                q[j] = ls;
                q[j + 4] = lm;
            }
            else
            {
                q[j + 4] = (byte)((ls & 0xF) | ((lm & 0xF) << 4));
                q[j - 4] |= (byte)((ls >> 4) << 6);
                q[j] |= (byte)((lm >> 4) << 6);
            }
        }
    }
}

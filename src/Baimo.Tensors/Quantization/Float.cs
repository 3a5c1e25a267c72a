using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Baimo.Tensors.Quantization;

/// <summary>The unquantized element types: F32 (copy), F16 and BF16 (2 bytes per element, little-endian).</summary>
internal static class FloatTypes
{
    public static void DequantizeF32(ReadOnlySpan<byte> src, Span<float> dst)
    {
        Debug.Assert(src.Length == dst.Length * 4);
        if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
        else for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src.Slice(4 * i, 4));
    }

    public static void QuantizeF32(ReadOnlySpan<float> src, Span<byte> dst)
    {
        Debug.Assert(dst.Length == src.Length * 4);
        if (BitConverter.IsLittleEndian) src.CopyTo(MemoryMarshal.Cast<byte, float>(dst));
        else for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(dst.Slice(4 * i, 4), src[i]);
    }

    public static void DequantizeF16(ReadOnlySpan<byte> src, Span<float> dst)
    {
        Debug.Assert(src.Length == dst.Length * 2);
        for (int i = 0; i < dst.Length; i++) dst[i] = Fp16.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(2 * i, 2)));
    }

    public static void QuantizeF16(ReadOnlySpan<float> src, Span<byte> dst)
    {
        Debug.Assert(dst.Length == src.Length * 2);
        for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(dst.Slice(2 * i, 2), Fp16.FromSingle(src[i]));
    }

    public static void DequantizeBF16(ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (Simd.Enabled && BitConverter.IsLittleEndian) DequantizeBF16Vector(src, dst);
        else DequantizeBF16Scalar(src, dst);
    }

    internal static void DequantizeBF16Vector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        Debug.Assert(src.Length == dst.Length * 2);
        var halves = MemoryMarshal.Cast<byte, ushort>(src);
        var bits = MemoryMarshal.Cast<float, uint>(dst);
        int i = 0;
        for (; i + 16 <= halves.Length; i += 16)
        {
            var (lo, hi) = Vector256.Widen(Vector256.Create(halves.Slice(i, 16)));
            Vector256.ShiftLeft(lo, 16).CopyTo(bits.Slice(i, 8));
            Vector256.ShiftLeft(hi, 16).CopyTo(bits.Slice(i + 8, 8));
        }
        for (; i < halves.Length; i++) bits[i] = (uint)halves[i] << 16;
    }

    internal static void DequantizeBF16Scalar(ReadOnlySpan<byte> src, Span<float> dst)
    {
        Debug.Assert(src.Length == dst.Length * 2);
        for (int i = 0; i < dst.Length; i++) dst[i] = Bf16.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(2 * i, 2)));
    }

    public static void QuantizeBF16(ReadOnlySpan<float> src, Span<byte> dst)
    {
        Debug.Assert(dst.Length == src.Length * 2);
        for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(dst.Slice(2 * i, 2), Bf16.FromSingle(src[i]));
    }
}

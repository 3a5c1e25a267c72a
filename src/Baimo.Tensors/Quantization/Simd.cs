using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Vector helpers for the dequantizers. Each vector path computes exactly the float operations of its
/// scalar twin (int → float conversion, one multiply, at most one add, never fused), so both give the
/// same bits; the tests check that on random blocks.
/// </summary>
internal static class Simd
{
    /// <summary>Whether the vector paths are used (the scalar twins run otherwise).</summary>
    public static readonly bool Enabled = Vector256.IsHardwareAccelerated;

    /// <summary>y[j] = q[j]·d (j &lt; 16) or q[j]·d2 (j ≥ 16); y [32].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale32(Vector256<sbyte> q, float d, float d2, Span<float> y)
    {
        var (s0, s1) = Vector256.Widen(q);
        var (i0, i1) = Vector256.Widen(s0);
        var (i2, i3) = Vector256.Widen(s1);
        var v = Vector256.Create(d);
        var v2 = Vector256.Create(d2);
        (Vector256.ConvertToSingle(i0) * v).CopyTo(y);
        (Vector256.ConvertToSingle(i1) * v).CopyTo(y[8..]);
        (Vector256.ConvertToSingle(i2) * v2).CopyTo(y[16..]);
        (Vector256.ConvertToSingle(i3) * v2).CopyTo(y[24..]);
    }

    /// <summary>
    /// y[j] = q[j]·d + add; y [32]. (x − m in the scalar code is x + (−m) here: IEEE defines subtraction
    /// as exactly that, signed zeros included.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleAdd32(Vector256<sbyte> q, float d, float add, Span<float> y)
    {
        var (s0, s1) = Vector256.Widen(q);
        var (i0, i1) = Vector256.Widen(s0);
        var (i2, i3) = Vector256.Widen(s1);
        var v = Vector256.Create(d);
        var a = Vector256.Create(add);
        (Vector256.ConvertToSingle(i0) * v + a).CopyTo(y);
        (Vector256.ConvertToSingle(i1) * v + a).CopyTo(y[8..]);
        (Vector256.ConvertToSingle(i2) * v + a).CopyTo(y[16..]);
        (Vector256.ConvertToSingle(i3) * v + a).CopyTo(y[24..]);
    }

    /// <summary>y[j] = q[j]·d + add for j &lt; 16 and q[j]·d2 + add2 after; y [32].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleAdd32(Vector256<sbyte> q, float d, float add, float d2, float add2, Span<float> y)
    {
        var (s0, s1) = Vector256.Widen(q);
        var (i0, i1) = Vector256.Widen(s0);
        var (i2, i3) = Vector256.Widen(s1);
        var v = Vector256.Create(d);
        var a = Vector256.Create(add);
        var v2 = Vector256.Create(d2);
        var a2 = Vector256.Create(add2);
        (Vector256.ConvertToSingle(i0) * v + a).CopyTo(y);
        (Vector256.ConvertToSingle(i1) * v + a).CopyTo(y[8..]);
        (Vector256.ConvertToSingle(i2) * v2 + a2).CopyTo(y[16..]);
        (Vector256.ConvertToSingle(i3) * v2 + a2).CopyTo(y[24..]);
    }

    /// <summary>The 32 nibbles of 16 bytes in block order: low nibbles (elements 0..15), then high nibbles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Nibbles(ReadOnlySpan<byte> qs16)
    {
        var b = Vector128.Create(qs16);
        var mask = Vector128.Create((byte)0x0F);
        return Vector256.Create(b & mask, Vector128.ShiftRightLogical(b, 4));
    }
}

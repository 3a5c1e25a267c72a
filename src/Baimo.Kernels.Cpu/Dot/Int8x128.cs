using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// The signed 8-bit dot product the 128-bit kernels are written against: ARM64's <c>sdot</c> where the CPU has
/// the dot-product extension, a widening multiply and pairwise add elsewhere. Only the sum over all four lanes is
/// specified (the kernels scale whole vectors, never single lanes), so each form may place the products in any lane.
/// </summary>
internal interface ISdot128
{
    /// <summary>A vector whose lanes add up to Σ lanes(acc) + Σ_k a[k]·b[k] (|a|, |b| ≤ 128).</summary>
    static abstract Vector128<int> Dot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b);
}

/// <summary>ARMv8.2 <c>sdot</c>: sixteen byte products into four int32 lanes in one instruction.</summary>
internal struct DpSdot : ISdot128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Dot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b) => Dp.DotProduct(acc, a, b);
}

/// <summary>
/// Without <c>sdot</c>: bytes widened to int16, multiplied, and pairs added into int32 (<c>smull</c> + <c>sadalp</c> on
/// ARM64, <c>pmovsxbw</c> + <c>pmaddwd</c> on x86, where the tests run this form against the scalar twins).
/// </summary>
internal struct PortableSdot : ISdot128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Dot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b)
    {
        if (AdvSimd.IsSupported)
        {
            acc = AdvSimd.AddPairwiseWideningAndAdd(acc, AdvSimd.MultiplyWideningLower(a.GetLower(), b.GetLower()));
            return AdvSimd.AddPairwiseWideningAndAdd(acc, AdvSimd.MultiplyWideningUpper(a, b));
        }
        if (Sse2.IsSupported)
        {
            var lo = Sse2.MultiplyAddAdjacent(Vector128.WidenLower(a), Vector128.WidenLower(b));
            var hi = Sse2.MultiplyAddAdjacent(Vector128.WidenUpper(a), Vector128.WidenUpper(b));
            return acc + lo + hi;
        }
        var pl = Vector128.WidenLower(a) * Vector128.WidenLower(b); // int16 [8], each |p| ≤ 16384
        var ph = Vector128.WidenUpper(a) * Vector128.WidenUpper(b);
        return acc + Vector128.WidenLower(pl) + Vector128.WidenUpper(pl) + Vector128.WidenLower(ph) + Vector128.WidenUpper(ph);
    }
}

/// <summary>Shared pieces of the 128-bit kernels.</summary>
internal static unsafe class V128
{
    /// <summary>Whether this CPU has ARM64's <c>sdot</c> (the dot-product extension) for the 128-bit kernels.</summary>
    public static bool HasSdot => Dp.IsSupported && AdvSimd.Arm64.IsSupported;

    /// <summary>Low nibbles of the 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Low(Vector128<byte> v) => (v & Vector128.Create((byte)0x0F)).AsSByte();

    /// <summary>High nibbles of the 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> High(Vector128<byte> v) => Vector128.ShiftRightLogical(v, 4).AsSByte();

    /// <summary>table[idx[i]] for indices below 16: <c>tbl</c> on ARM64, <c>pshufb</c> on x86.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Lookup(Vector128<sbyte> table, Vector128<sbyte> idx)
    {
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.VectorTableLookup(table, idx);
        if (Ssse3.IsSupported) return Ssse3.Shuffle(table, idx);
        var r = Vector128<sbyte>.Zero;
        for (int i = 0; i < 16; i++) r = r.WithElement(i, table.GetElement(idx.GetElement(i) & 15));
        return r;
    }

    /// <summary>The 16 IQ4_NL/IQ4_XS levels as one vector (the index of a level is its 4-bit code).</summary>
    public static Vector128<sbyte> IQ4Table => Vector128.Create(Blocks.IQ4Levels);

    /// <summary>
    /// <paramref name="set"/> in byte j where bit j of <paramref name="bits"/> is set, else 0 (j &lt; 16): each byte
    /// takes the byte of the word that holds its bit, then tests its own bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> BitsToBytes(uint bits, byte set)
    {
        var v = Vector128.Create(Vector64.Create((byte)bits), Vector64.Create((byte)(bits >> 8)));
        var mask = Vector128.Create(0x8040201008040201UL).AsByte();
        return (Vector128.Equals(v & mask, mask) & Vector128.Create(set)).AsSByte();
    }

    /// <summary><paramref name="set"/> where bit <paramref name="bit"/> of byte v[j] is set, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> BitOf(Vector128<byte> v, int bit, byte set)
    {
        var m = Vector128.Create((byte)(1 << bit));
        return (Vector128.Equals(v & m, m) & Vector128.Create(set)).AsSByte();
    }

    /// <summary>acc + float(i)·scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleAdd(Vector128<int> i, float scale, Vector128<float> acc) =>
        MultiplyAdd(Vector128.ConvertToSingle(i), Vector128.Create(scale), acc);

    /// <summary>
    /// a·b + c: fused where the CPU fuses (ARM64 always, x86 with FMA); a multiply and an add on x86 without FMA,
    /// where the fused form would be emulated one lane at a time in software.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        AdvSimd.IsSupported || Fma.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;
}

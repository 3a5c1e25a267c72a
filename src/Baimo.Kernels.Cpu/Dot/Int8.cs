using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// The 8-bit integer multiply-accumulate the vector kernels are written against, so each kernel has one
/// body for AVX-VNNI and for plain AVX2. (.NET 10 exposes no 512-bit VNNI for this CPU family; on Zen 4
/// the 256-bit form has the same throughput anyway.)
/// </summary>
internal interface IInt8Isa
{
    /// <summary>acc[i] + Σ_{k&lt;4} u[4i+k]·s[4i+k] (u unsigned, s signed; pairs must fit int16 for AVX2: |u·s| sums ≤ 32767).</summary>
    static abstract Vector256<int> DotU8S8(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s);

    /// <summary>acc[i] + p[2i]·s[2i] + p[2i+1]·s[2i+1] (int16 × int16 → int32).</summary>
    static abstract Vector256<int> DotI16(Vector256<int> acc, Vector256<short> p, Vector256<short> s);

    /// <summary>
    /// <see cref="DotU8S8"/> of two operand pairs into one accumulator. Without VNNI the two byte products are
    /// added as int16 before one widening, so all four products of a lane must fit: |Σ u·s| ≤ 32767.
    /// </summary>
    static abstract Vector256<int> DotU8S8x2(Vector256<int> acc, Vector256<byte> u1, Vector256<sbyte> s1, Vector256<byte> u2, Vector256<sbyte> s2);

    /// <summary>
    /// p + Σ u1·s1 + u2·s2 as partial sums: int16 pair sums without VNNI (no widening: the caller bounds how many
    /// products it adds before <see cref="Widen"/>, |Σ| ≤ 32767 per int16), int32 lanes with VNNI.
    /// </summary>
    static abstract Vector256<int> Partial2(Vector256<int> p, Vector256<byte> u1, Vector256<sbyte> s1, Vector256<byte> u2, Vector256<sbyte> s2);

    /// <summary>acc + the partial sums p (<see cref="Partial2"/>) as int32 lanes.</summary>
    static abstract Vector256<int> Widen(Vector256<int> acc, Vector256<int> p);

    /// <summary>
    /// acc + the partial sums p times a per-lane scale, given both ways: <paramref name="pair"/> holds it in both
    /// int16 halves of every lane (the widening multiply-add applies it), <paramref name="scale"/> as int32.
    /// </summary>
    static abstract Vector256<int> WidenScaled(Vector256<int> acc, Vector256<int> p, Vector256<short> pair, Vector256<int> scale);

    /// <summary>
    /// How the packed Q8_0 layout stores a code w: as w + <c>-StoredQ8Offset</c> (an unsigned byte, for
    /// VNNI's unsigned operand) or as w itself (offset 0).
    /// </summary>
    static abstract float StoredQ8Offset { get; }

    /// <summary>acc[i] + Σ_{k&lt;4} stored[4i+k]·x[4i+k], stored as <see cref="StoredQ8Offset"/> says.</summary>
    static abstract Vector256<int> DotStoredQ8(Vector256<int> acc, Vector256<byte> stored, Vector256<sbyte> x);
}

internal struct VnniIsa : IInt8Isa
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotU8S8(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s) =>
        AvxVnni.MultiplyWideningAndAdd(acc, u, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotI16(Vector256<int> acc, Vector256<short> p, Vector256<short> s) =>
        AvxVnni.MultiplyWideningAndAdd(acc, p, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotU8S8x2(Vector256<int> acc, Vector256<byte> u1, Vector256<sbyte> s1, Vector256<byte> u2, Vector256<sbyte> s2) =>
        AvxVnni.MultiplyWideningAndAdd(AvxVnni.MultiplyWideningAndAdd(acc, u1, s1), u2, s2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Partial2(Vector256<int> p, Vector256<byte> u1, Vector256<sbyte> s1, Vector256<byte> u2, Vector256<sbyte> s2) =>
        AvxVnni.MultiplyWideningAndAdd(AvxVnni.MultiplyWideningAndAdd(p, u1, s1), u2, s2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Widen(Vector256<int> acc, Vector256<int> p) => acc + p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> WidenScaled(Vector256<int> acc, Vector256<int> p, Vector256<short> pair, Vector256<int> scale) => acc + p * scale;

    // Codes + 128 as unsigned bytes: one instruction per four codes of eight rows; the 128 comes back per block.
    public static float StoredQ8Offset => -128f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotStoredQ8(Vector256<int> acc, Vector256<byte> stored, Vector256<sbyte> x) =>
        AvxVnni.MultiplyWideningAndAdd(acc, stored, x);
}

internal struct Avx2Isa : IInt8Isa
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotU8S8(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s) =>
        acc + Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), Vector256.Create((short)1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotI16(Vector256<int> acc, Vector256<short> p, Vector256<short> s) =>
        acc + Avx2.MultiplyAddAdjacent(p, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotU8S8x2(Vector256<int> acc, Vector256<byte> u1, Vector256<sbyte> s1, Vector256<byte> u2, Vector256<sbyte> s2) =>
        acc + Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u1, s1) + Avx2.MultiplyAddAdjacent(u2, s2), Vector256.Create((short)1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Partial2(Vector256<int> p, Vector256<byte> u1, Vector256<sbyte> s1, Vector256<byte> u2, Vector256<sbyte> s2) =>
        (p.AsInt16() + Avx2.MultiplyAddAdjacent(u1, s1) + Avx2.MultiplyAddAdjacent(u2, s2)).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Widen(Vector256<int> acc, Vector256<int> p) =>
        acc + Avx2.MultiplyAddAdjacent(p.AsInt16(), Vector256.Create((short)1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> WidenScaled(Vector256<int> acc, Vector256<int> p, Vector256<short> pair, Vector256<int> scale) =>
        acc + Avx2.MultiplyAddAdjacent(p.AsInt16(), pair);

    // Codes as they are: a code + 128 (up to 255) times an activation code would overflow the int16 pair sums
    // of vpmaddubsw; |w| · (x with w's sign) stays within 128·127 per product (activation codes are within ±127).
    // |w| depends on the weights only, so a tile computes it once for all its tokens.
    public static float StoredQ8Offset => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotStoredQ8(Vector256<int> acc, Vector256<byte> stored, Vector256<sbyte> x) =>
        DotU8S8(acc, Avx2.Abs(stored.AsSByte()), Avx2.Sign(x, stored.AsSByte()));
}

/// <summary>Shared vector pieces of the kernels.</summary>
internal static unsafe class Vec
{
    /// <summary>The 32 nibbles of 16 bytes in block order: low nibbles (elements 0..15), then high nibbles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Nibbles16(byte* p)
    {
        var b = Vector128.Load(p);
        var mask = Vector128.Create((byte)0x0F);
        return Vector256.Create(b & mask, Vector128.ShiftRightLogical(b.AsUInt16(), 4).AsByte() & mask);
    }

    /// <summary>Signed × signed bytes through the unsigned × signed instruction: |a|·(b with a's sign).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotS8S8<TIsa>(Vector256<int> acc, Vector256<byte> absA, Vector256<sbyte> a, Vector256<sbyte> b) where TIsa : IInt8Isa =>
        TIsa.DotU8S8(acc, absA, Avx2.Sign(b, a));

    /// <summary>
    /// 0xFF in byte j where bit j of <paramref name="bits"/> is set, else 0 (j &lt; 32): each byte picks the
    /// byte of the word that holds its bit, then tests its own bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> BitsToBytes(uint bits)
    {
        var v = Vector256.Create(bits).AsByte();
        var pick = Vector256.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
        var mask = Vector256.Create(0x8040201008040201UL).AsByte();
        return Vector256.Equals(Avx2.Shuffle(v, pick) & mask, mask);
    }

    /// <summary>Byte shuffles (indices within each 128-bit half) that copy int16 0 or 1 of every 32-bit lane into both its halves.</summary>
    private static readonly Vector256<byte> FirstHalf = (Vector256.Create(0x01000100u) + Vector256.Create(0u, 4, 8, 12, 0, 4, 8, 12) * 0x01010101u).AsByte();
    private static readonly Vector256<byte> SecondHalf = (Vector256.Create(0x03020302u) + Vector256.Create(0u, 4, 8, 12, 0, 4, 8, 12) * 0x01010101u).AsByte();

    /// <summary>The shuffle for <see cref="Duplicate"/> that picks int16 <paramref name="j"/> (0 or 1) of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Half(int j) => j == 0 ? FirstHalf : SecondHalf;

    /// <summary>
    /// int16 j of every 32-bit lane of <paramref name="pair"/> in both halves of the lane (pick = <see cref="Half"/>(j)):
    /// a per-row scale ready for the widening int16 multiply-add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Duplicate(Vector256<short> pair, Vector256<byte> pick) => Avx2.Shuffle(pair.AsByte(), pick).AsInt16();

    /// <summary>acc + d·(float)i, fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleAdd(Vector256<int> i, float d, Vector256<float> acc) =>
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(i), Vector256.Create(d), acc);
}

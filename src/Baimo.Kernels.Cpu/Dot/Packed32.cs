using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// What the packed kernels of the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, IQ4_NL) need of a type. Every
/// such packed block of a group starts with the eight rows' fp16 d and ends with four 32-byte vectors of
/// interleaved nibbles: vector k holds qs[4k..4k+3] of row r in lane r, the low nibbles being elements 4k.. and
/// the high ones elements 16 + 4k... What lies between (a minimum, fifth bits) is the type's own.
/// </summary>
internal unsafe interface IPacked32
{
    /// <summary>Bytes of a block in the file layout.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>Bytes of a group's block in the packed layout (eight file blocks' bytes).</summary>
    static abstract int PackedBlock { get; }

    /// <summary>
    /// Packs block b of eight rows: src = row 0's block, the others rowBytes apart; dst [PackedBlock].
    /// False when a scale is not finite.
    /// </summary>
    static abstract bool PackBlock(byte* src, nint rowBytes, byte* dst);

    /// <summary>
    /// Step k's codes of the packed block g: <paramref name="lo"/>/<paramref name="hi"/> go into the unsigned operand;
    /// <paramref name="signLo"/>/<paramref name="signHi"/> carry the weights' signs for types whose codes are signed.
    /// </summary>
    static abstract void Codes(byte* g, int k, out Vector256<byte> lo, out Vector256<byte> hi, out Vector256<sbyte> signLo, out Vector256<sbyte> signHi);

    // The members below have the unsigned-code types' behaviour by default; a type overrides what differs.

    /// <summary>
    /// p + the products of step k's codes with a token's activation codes xl (low half) and xh, as partial sums
    /// (<see cref="IInt8Isa.Partial2"/>, or int32 for types that widen as they go). By default the codes are
    /// unsigned and below 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static virtual Vector256<int> Dot<TIsa>(Vector256<int> p, Vector256<byte> lo, Vector256<byte> hi, Vector256<sbyte> signLo, Vector256<sbyte> signHi, Vector256<sbyte> xl, Vector256<sbyte> xh) where TIsa : IInt8Isa =>
        TIsa.Partial2(p, lo, xl, hi, xh);

    /// <summary>acc + partial sums p of <see cref="Dot"/> as int32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static virtual Vector256<int> Widen<TIsa>(Vector256<int> acc, Vector256<int> p) where TIsa : IInt8Isa => TIsa.Widen(acc, p);

    /// <summary>
    /// Whether the partial sums must widen after every two steps (codes up to 31: four byte-product pairs of
    /// 2·31·127 fill an int16) rather than once per block (codes up to 15: eight pairs of 2·15·127 fit).
    /// </summary>
    static virtual bool WidenTwice => false;

    /// <summary>Whether a block adds a term to each block's sum (an offset or a minimum times the activations' sum).</summary>
    static virtual bool HasMin => true;

    /// <summary>The term multiplying the activations' block sum: d·offset, or the block's minimum.</summary>
    static abstract Vector256<float> Min(byte* g, Vector256<float> d);

    /// <summary>The activations' block sums this type's minimum meets: d·Σcode (Q8_0's DS) or Q8_1's s.</summary>
    static abstract float* Sums(Activations* a);

    // The layout of the 512-bit form (sixteen rows a group, Packed32Wide), for the types that have one.

    /// <summary>
    /// Where the parts of a 512-bit packed block start: the sixteen rows' fp16 d at 0, then (each when the type
    /// has it) their fp16 minimum at 32, their fifth bits (as <see cref="Packed32Parts.FifthBits"/>) at
    /// <see cref="WideHighAt"/>, and the four 64-byte nibble vectors at <see cref="WideCodesAt"/>.
    /// </summary>
    static virtual int WideHighAt => -1;

    /// <summary>See <see cref="WideHighAt"/>.</summary>
    static virtual int WideCodesAt => 32;

    /// <summary>Offset of the fp16 minimum in a file block, or −1.</summary>
    static virtual int MinAt => -1;

    /// <summary>Offset of the fifth bits (qh) in a file block, or −1.</summary>
    static virtual int HighAt => -1;

    /// <summary>Offset of the nibbles (qs) in a file block.</summary>
    static virtual int CodesAt => 2;

    /// <summary>The offset of a block's codes when it has no minimum (Q4_0: −8, Q5_0: −16); 0 for types with one.</summary>
    static virtual float Offset => 0f;
}

/// <summary>
/// The packed kernels of the 32-value block types, generic over the type (<see cref="IPacked32"/>) and the
/// instruction set. Per block and row: d_w·d_x·Σ code·x (+ Min·sum_x), eight rows in the lanes of one vector.
/// </summary>
internal static unsafe class Packed32<T> where T : IPacked32
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per matrix, over all of it
    public static bool PackGroup(byte* src, nint rowBytes, int nb, byte* dst)
    {
        bool finite = true;
        for (int b = 0; b < nb; b++, dst += T.PackedBlock)
            finite &= T.PackBlock(src + b * T.BlockBytes, rowBytes, dst);
        return finite;
    }

    /// <summary>
    /// Every tile size accumulates a token's blocks in the same order with the same operations, so a
    /// token's result does not depend on the batch it came in (batched decoding is exact).
    /// </summary>
    public static void Tile<TIsa>(byte* g, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 32;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        float* s = T.Sums(a) + (nint)t0 * nb;
        int i = 0;
        if (count == 8)
        {
            Packed8<TIsa>(g, q, d, s, cols, nb, y, yStride);
            return;
        }
        if (count >= 4)
        {
            Packed4<TIsa>(g, q, d, s, cols, nb, y, yStride);
            i = 4;
        }
        for (; i < count; i++) Packed1<TIsa>(g, q + (nint)i * cols, d + (nint)i * nb, s + (nint)i * nb, nb, y + i * yStride);
    }

    /// <summary>
    /// One block's integer sums for eight rows against one token (x: the block's first activation code): the four
    /// steps' products as partial sums, widened once per block (or per two steps, <see cref="IPacked32.WidenTwice"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Block<TIsa>(byte* g, sbyte* x) where TIsa : IInt8Isa
    {
        // The four steps written out: each step's shifts (fifth bits) become constants.
        var p = Step<TIsa>(Vector256<int>.Zero, g, x, 0);
        p = Step<TIsa>(p, g, x, 1);
        var sum = Vector256<int>.Zero;
        if (T.WidenTwice)
        {
            sum = T.Widen<TIsa>(sum, p);
            p = Vector256<int>.Zero;
        }
        p = Step<TIsa>(p, g, x, 2);
        p = Step<TIsa>(p, g, x, 3);
        return T.Widen<TIsa>(sum, p);
    }

    /// <summary>p + step k of the packed block g against one token's activation codes (x: the block's first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Step<TIsa>(Vector256<int> p, byte* g, sbyte* x, int k) where TIsa : IInt8Isa
    {
        T.Codes(g, k, out var lo, out var hi, out var sl, out var sh);
        return T.Dot<TIsa>(p, lo, hi, sl, sh, PackedKernel.Broadcast4(x + 4 * k), PackedKernel.Broadcast4(x + 16 + 4 * k));
    }

    /// <summary>f + Σ_codes·d_w·d_x (+ Min·s): one block's contribution to eight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Finish(Vector256<int> sum, Vector256<float> dw, Vector256<float> min, float dx, float sx, Vector256<float> f)
    {
        f = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(sum), dw * Vector256.Create(dx), f);
        return T.HasMin ? Vector256.FusedMultiplyAdd(min, Vector256.Create(sx), f) : f;
    }

    /// <summary>One token: two blocks per step with their own integer sums, so the two chains overlap.</summary>
    private static void Packed1<TIsa>(byte* g, sbyte* q, float* dx, float* sx, int nb, float* y) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        int b = 0;
        for (; b + 1 < nb; b += 2, g += 2 * T.PackedBlock)
        {
            byte* g1 = g + T.PackedBlock;
            var i0 = Block<TIsa>(g, q + 32 * b);
            var i1 = Block<TIsa>(g1, q + 32 * b + 32);
            var dw0 = PackedKernel.Halves(g);
            var dw1 = PackedKernel.Halves(g1);
            f0 = Finish(i0, dw0, T.Min(g, dw0), dx[b], sx[b], f0);
            f0 = Finish(i1, dw1, T.Min(g1, dw1), dx[b + 1], sx[b + 1], f0);
        }
        if (b < nb)
        {
            var i0 = Block<TIsa>(g, q + 32 * b);
            var dw0 = PackedKernel.Halves(g);
            f0 = Finish(i0, dw0, T.Min(g, dw0), dx[b], sx[b], f0);
        }
        f0.Store(y);
    }

    private static void Packed4<TIsa>(byte* g, sbyte* q0, float* dx, float* sx, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        sbyte* q1 = q0 + cols;
        sbyte* q2 = q1 + cols;
        sbyte* q3 = q2 + cols;
        for (int b = 0; b < nb; b++, g += T.PackedBlock)
        {
            var p0 = Vector256<int>.Zero; var p1 = Vector256<int>.Zero; var p2 = Vector256<int>.Zero; var p3 = Vector256<int>.Zero;
            var i0 = Vector256<int>.Zero; var i1 = Vector256<int>.Zero; var i2 = Vector256<int>.Zero; var i3 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 4; k++)
            {
                T.Codes(g, k, out var lo, out var hi, out var sl, out var sh);
                nint ol = o + 4 * k, oh = ol + 16;
                p0 = T.Dot<TIsa>(p0, lo, hi, sl, sh, PackedKernel.Broadcast4(q0 + ol), PackedKernel.Broadcast4(q0 + oh));
                p1 = T.Dot<TIsa>(p1, lo, hi, sl, sh, PackedKernel.Broadcast4(q1 + ol), PackedKernel.Broadcast4(q1 + oh));
                p2 = T.Dot<TIsa>(p2, lo, hi, sl, sh, PackedKernel.Broadcast4(q2 + ol), PackedKernel.Broadcast4(q2 + oh));
                p3 = T.Dot<TIsa>(p3, lo, hi, sl, sh, PackedKernel.Broadcast4(q3 + ol), PackedKernel.Broadcast4(q3 + oh));
                if (T.WidenTwice && k == 1)
                {
                    i0 = T.Widen<TIsa>(i0, p0); i1 = T.Widen<TIsa>(i1, p1); i2 = T.Widen<TIsa>(i2, p2); i3 = T.Widen<TIsa>(i3, p3);
                    p0 = p1 = p2 = p3 = Vector256<int>.Zero;
                }
            }
            i0 = T.Widen<TIsa>(i0, p0); i1 = T.Widen<TIsa>(i1, p1); i2 = T.Widen<TIsa>(i2, p2); i3 = T.Widen<TIsa>(i3, p3);
            var dw = PackedKernel.Halves(g);
            var min = T.Min(g, dw);
            f0 = Finish(i0, dw, min, dx[b], sx[b], f0);
            f1 = Finish(i1, dw, min, dx[nb + b], sx[nb + b], f1);
            f2 = Finish(i2, dw, min, dx[2 * nb + b], sx[2 * nb + b], f2);
            f3 = Finish(i3, dw, min, dx[3 * nb + b], sx[3 * nb + b], f3);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
    }

    private static void Packed8<TIsa>(byte* g, sbyte* q0, float* dx, float* sx, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var f0 = Vector256<float>.Zero;
        var f1 = Vector256<float>.Zero;
        var f2 = Vector256<float>.Zero;
        var f3 = Vector256<float>.Zero;
        var f4 = Vector256<float>.Zero;
        var f5 = Vector256<float>.Zero;
        var f6 = Vector256<float>.Zero;
        var f7 = Vector256<float>.Zero;
        sbyte* q1 = q0 + cols;
        sbyte* q2 = q1 + cols;
        sbyte* q3 = q2 + cols;
        sbyte* q4 = q3 + cols;
        sbyte* q5 = q4 + cols;
        sbyte* q6 = q5 + cols;
        sbyte* q7 = q6 + cols;
        for (int b = 0; b < nb; b++, g += T.PackedBlock)
        {
            var p0 = Vector256<int>.Zero; var p1 = Vector256<int>.Zero; var p2 = Vector256<int>.Zero; var p3 = Vector256<int>.Zero; var p4 = Vector256<int>.Zero; var p5 = Vector256<int>.Zero; var p6 = Vector256<int>.Zero; var p7 = Vector256<int>.Zero;
            var i0 = Vector256<int>.Zero; var i1 = Vector256<int>.Zero; var i2 = Vector256<int>.Zero; var i3 = Vector256<int>.Zero; var i4 = Vector256<int>.Zero; var i5 = Vector256<int>.Zero; var i6 = Vector256<int>.Zero; var i7 = Vector256<int>.Zero;
            nint o = 32 * b;
            for (int k = 0; k < 4; k++)
            {
                T.Codes(g, k, out var lo, out var hi, out var sl, out var sh);
                nint ol = o + 4 * k, oh = ol + 16;
                p0 = T.Dot<TIsa>(p0, lo, hi, sl, sh, PackedKernel.Broadcast4(q0 + ol), PackedKernel.Broadcast4(q0 + oh));
                p1 = T.Dot<TIsa>(p1, lo, hi, sl, sh, PackedKernel.Broadcast4(q1 + ol), PackedKernel.Broadcast4(q1 + oh));
                p2 = T.Dot<TIsa>(p2, lo, hi, sl, sh, PackedKernel.Broadcast4(q2 + ol), PackedKernel.Broadcast4(q2 + oh));
                p3 = T.Dot<TIsa>(p3, lo, hi, sl, sh, PackedKernel.Broadcast4(q3 + ol), PackedKernel.Broadcast4(q3 + oh));
                p4 = T.Dot<TIsa>(p4, lo, hi, sl, sh, PackedKernel.Broadcast4(q4 + ol), PackedKernel.Broadcast4(q4 + oh));
                p5 = T.Dot<TIsa>(p5, lo, hi, sl, sh, PackedKernel.Broadcast4(q5 + ol), PackedKernel.Broadcast4(q5 + oh));
                p6 = T.Dot<TIsa>(p6, lo, hi, sl, sh, PackedKernel.Broadcast4(q6 + ol), PackedKernel.Broadcast4(q6 + oh));
                p7 = T.Dot<TIsa>(p7, lo, hi, sl, sh, PackedKernel.Broadcast4(q7 + ol), PackedKernel.Broadcast4(q7 + oh));
                if (T.WidenTwice && k == 1)
                {
                    i0 = T.Widen<TIsa>(i0, p0); i1 = T.Widen<TIsa>(i1, p1); i2 = T.Widen<TIsa>(i2, p2); i3 = T.Widen<TIsa>(i3, p3);
                    i4 = T.Widen<TIsa>(i4, p4); i5 = T.Widen<TIsa>(i5, p5); i6 = T.Widen<TIsa>(i6, p6); i7 = T.Widen<TIsa>(i7, p7);
                    p0 = p1 = p2 = p3 = p4 = p5 = p6 = p7 = Vector256<int>.Zero;
                }
            }
            i0 = T.Widen<TIsa>(i0, p0); i1 = T.Widen<TIsa>(i1, p1); i2 = T.Widen<TIsa>(i2, p2); i3 = T.Widen<TIsa>(i3, p3);
            i4 = T.Widen<TIsa>(i4, p4); i5 = T.Widen<TIsa>(i5, p5); i6 = T.Widen<TIsa>(i6, p6); i7 = T.Widen<TIsa>(i7, p7);
            var dw = PackedKernel.Halves(g);
            var min = T.Min(g, dw);
            f0 = Finish(i0, dw, min, dx[b], sx[b], f0);
            f1 = Finish(i1, dw, min, dx[nb + b], sx[nb + b], f1);
            f2 = Finish(i2, dw, min, dx[2 * nb + b], sx[2 * nb + b], f2);
            f3 = Finish(i3, dw, min, dx[3 * nb + b], sx[3 * nb + b], f3);
            f4 = Finish(i4, dw, min, dx[4 * nb + b], sx[4 * nb + b], f4);
            f5 = Finish(i5, dw, min, dx[5 * nb + b], sx[5 * nb + b], f5);
            f6 = Finish(i6, dw, min, dx[6 * nb + b], sx[6 * nb + b], f6);
            f7 = Finish(i7, dw, min, dx[7 * nb + b], sx[7 * nb + b], f7);
        }
        f0.Store(y);
        f1.Store(y + 1 * yStride);
        f2.Store(y + 2 * yStride);
        f3.Store(y + 3 * yStride);
        f4.Store(y + 4 * yStride);
        f5.Store(y + 5 * yStride);
        f6.Store(y + 6 * yStride);
        f7.Store(y + 7 * yStride);
    }
}

/// <summary>Pieces the 32-value block formats share.</summary>
internal static unsafe class Packed32Parts
{
    /// <summary>Copies the eight rows' fp16 at <paramref name="offset"/> of their blocks to dst [8]; false when one is not finite.</summary>
    public static bool Halves(byte* src, nint rowBytes, int offset, byte* dst, int rows = PackedKernel.GroupRows)
    {
        bool finite = true;
        for (int r = 0; r < rows; r++)
        {
            ushort h = *(ushort*)(src + r * rowBytes + offset);
            finite &= PackedKernel.Finite(h);
            ((ushort*)dst)[r] = h;
        }
        return finite;
    }

    /// <summary>Step k's nibbles of the vectors at v: low (elements 4k..) and high (16 + 4k..).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Nibbles(byte* v, int k, out Vector256<byte> lo, out Vector256<byte> hi)
    {
        var m = Vector256.Create((byte)0x0F);
        var raw = Vector256.Load(v + 32 * k);
        lo = raw & m;
        hi = Vector256.ShiftRightLogical(raw.AsUInt16(), 4).AsByte() & m;
    }

    /// <summary>
    /// The eight rows' qh (fifth bits, bit j for element j) at <paramref name="offset"/> of their blocks, rearranged
    /// for the nibble steps into dst [8 × 4 bytes], row r in lane r: bit k of byte i holds the fifth bit of element
    /// 4k + i, bit 4 + k that of element 16 + 4k + i (k, i &lt; 4). Step k then finds its bits with one shift each.
    /// </summary>
    public static void FifthBits(byte* src, nint rowBytes, int offset, byte* dst, int rows = PackedKernel.GroupRows)
    {
        for (int r = 0; r < rows; r++)
        {
            uint qh = *(uint*)(src + r * rowBytes + offset), h = 0;
            for (int k = 0; k < 4; k++)
                for (int i = 0; i < 4; i++)
                {
                    h |= ((qh >> (4 * k + i)) & 1) << (8 * i + k);
                    h |= ((qh >> (16 + 4 * k + i)) & 1) << (8 * i + 4 + k);
                }
            ((uint*)dst)[r] = h;
        }
    }

    /// <summary>Adds 16 to step k's low and high codes whose fifth bit (the vector at h, from <see cref="FifthBits"/>) is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFifth(byte* h, int k, ref Vector256<byte> lo, ref Vector256<byte> hi)
    {
        // 32-bit shifts: bit 4 of each byte comes from bit 4 − (4 − k) = k (low) or 4 + k (high) of the same byte.
        var bits = Vector256.Load((uint*)h);
        var sixteen = Vector256.Create((byte)0x10);
        lo |= Vector256.ShiftLeft(bits, 4 - k).AsByte() & sixteen;
        hi |= Vector256.ShiftRightLogical(bits, k).AsByte() & sixteen;
    }
}

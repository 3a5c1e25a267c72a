using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// F16 and BF16 matrices on AVX-512 in a packed layout, and their decode-sized products (fewer tokens than
/// <see cref="FloatGemm.MinTokens"/>). Four rows form a group; a group stores, for every 16 columns, the four
/// rows' 16 values one after another (128 bytes), then the columns past the last multiple of 16 row by row.
/// A product reads each group as one sequential stream (four separate rows are four short streams, each a
/// page or two long, which the hardware prefetcher follows poorly), one activation load feeds the four rows
/// (a token's activations are twice the bytes of a row's weights and, for rows longer than about 4,000 values,
/// no longer stay in L1), and the four rows' sums are independent chains of fused multiply-adds where one row
/// alone waits on the latency of each. The packed copy is made once, on the first product, into huge pages,
/// and the file's pages are then released (<see cref="PackedKernel.ReleasePages"/>): the process keeps one copy.
/// <para>F16 is packed only when the matrix holds no infinity or NaN (packing checks); then a weight widens in
/// three operations and no test: sign-extended and shifted left by 13 an fp16 reads as a float exactly 2^−112
/// times its value, subnormals included, and rather than multiply every weight by 2^112 the activation vector
/// is scaled once for the four rows. x·2^112 is exact (an fp16-rounded activation is at most 65504, so the
/// scaled value stays below 2^128) and so is w·2^−112, so each fused multiply-add sees the same exact product
/// w·x as the one-row kernel and rounds it the same way.</para>
/// <para>Each result is the same bits as the single-token kernels (<see cref="F16Dot"/>, <see cref="BF16Dot"/>)
/// and as the prompt path (<see cref="FloatGemm"/>): lane j of a row's accumulator sums columns j (mod 16) in
/// order, the halves are added and summed as those kernels do, and the tail columns are added one by one.</para>
/// </summary>
internal static unsafe class FloatRows
{
    /// <summary>Rows per group.</summary>
    public const int GroupRows = 4;

    public static bool Supports(WeightType type) =>
        type is WeightType.F16 or WeightType.BF16 && Avx512F.IsSupported && Avx2.IsSupported;

    /// <summary>Bytes of one packed group of <paramref name="cols"/> columns (the four rows' bytes).</summary>
    public static nint GroupBytes(int cols) => (nint)GroupRows * cols * sizeof(ushort);

    /// <summary>
    /// Packs one group of F16 rows: src = the first of 4 rows (rowBytes apart), cols values each; dst
    /// [cols / 16][4][16] then [4][cols % 16]. False when a value is infinite or NaN (the matrix then keeps the
    /// file layout and the checked kernels).
    /// </summary>
    public static bool PackGroupF16(byte* src, nint rowBytes, int cols, byte* dst)
    {
        bool finite = true;
        for (int r = 0; r < GroupRows; r++)
            if (AnySpecial((ushort*)(src + r * rowBytes), cols)) finite = false;
        Interleave(src, rowBytes, cols, dst);
        return finite;
    }

    /// <summary>As <see cref="PackGroupF16"/> for BF16 rows, which need no check.</summary>
    public static bool PackGroupBf16(byte* src, nint rowBytes, int cols, byte* dst)
    {
        Interleave(src, rowBytes, cols, dst);
        return true;
    }

    /// <summary>The group layout of four rows of 16-bit values: [cols / 16][4][16], then [4][cols % 16].</summary>
    private static void Interleave(byte* src, nint rowBytes, int cols, byte* dst)
    {
        ushort* d = (ushort*)dst;
        int full = cols / 16 * 16, tail = cols - full;
        for (int c = 0; c < full; c += 16)
            for (int r = 0; r < GroupRows; r++, d += 16)
                Vector256.Load((ushort*)(src + r * rowBytes) + c).Store(d);
        for (int r = 0; r < GroupRows; r++, d += tail)
            new ReadOnlySpan<ushort>((ushort*)(src + r * rowBytes) + full, tail).CopyTo(new Span<ushort>(d, tail));
    }

    private struct Job
    {
        public byte* Packed;   // [Rows / 4][GroupBytes]
        public nint GroupBytes;
        public bool Bf16;
        public Activations* A; // [Tokens][Cols] activations, already rounded to the weight type
        public float* Y;       // [Tokens][Rows]
        public int Rows;
    }

    /// <summary>y[t][r] = W[r] · x[t]; W packed (<see cref="PackGroupF16"/>), x [tokens][cols] (a->F), y [tokens][rows].</summary>
    public static void Multiply(byte* packed, WeightType type, Activations* a, float* y, int rows, CpuThreadPool pool)
    {
        var job = new Job { Packed = packed, GroupBytes = GroupBytes(a->Cols), Bf16 = type == WeightType.BF16, A = a, Y = y, Rows = rows };
        int groups = (rows + GroupRows - 1) / GroupRows;
        pool.ForDynamic(groups, pool.Grain(groups), job, Body);
    }

    private static readonly ForBody<Job> Body = Run;

    private static void Run(Job j, int start, int end)
    {
        var a = j.A;
        int cols = a->Cols, tokens = a->Tokens;
        float* part = stackalloc float[GroupRows];
        for (int g = start; g < end; g++)
        {
            int r0 = g * GroupRows, n = Math.Min(GroupRows, j.Rows - r0);
            ushort* w = (ushort*)(j.Packed + g * j.GroupBytes);
            for (int t = 0; t < tokens; t++)
            {
                float* x = a->F + (nint)t * cols, y = j.Y + (nint)t * j.Rows + r0;
                // The last group of a matrix whose row count is not a multiple of four holds zero rows past the end.
                float* dst = n == GroupRows ? y : part;
                if (j.Bf16) Group4<Bf16Widen>(w, x, x, cols, dst);
                else Group4<F16Scaled>(w, a->FS + (nint)t * cols, x, cols, dst);
                if (n < GroupRows)
                    for (int r = 0; r < n; r++) y[r] = part[r];
            }
        }
    }

    /// <summary>
    /// One packed group · x [n] → y[0..4). The vector part multiplies <typeparamref name="TW"/>'s widened weights by
    /// xv (x itself, or x·2^112 for F16 — <see cref="Activations.FS"/>); the tail adds exact weights times x.
    /// </summary>
    private static void Group4<TW>(ushort* w, float* xv, float* x, int n, float* y) where TW : IWiden16
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16, w += 64)
        {
            var v = Vector512.Load(xv + i);
            c0 = Vector512.FusedMultiplyAdd(TW.Widen(w), v, c0);
            c1 = Vector512.FusedMultiplyAdd(TW.Widen(w + 16), v, c1);
            c2 = Vector512.FusedMultiplyAdd(TW.Widen(w + 32), v, c2);
            c3 = Vector512.FusedMultiplyAdd(TW.Widen(w + 48), v, c3);
        }
        // Each accumulator's halves added and summed as the one-row kernels do (all four at once), then the
        // row's tail w[r·tail ..] in order.
        var s = Sums4.Of(c0, c1, c2, c3);
        int tail = n - i;
        if (tail == 0)
        {
            s.Store(y);
            return;
        }
        for (int r = 0; r < GroupRows; r++, w += tail)
        {
            float sum = s.GetElement(r);
            for (int k = 0; k < tail; k++) sum += TW.Exact(w[k]) * x[i + k];
            y[r] = sum;
        }
    }

    /// <summary>How a 16-bit float type widens: sixteen at a time in the packed loop, one exactly in the tail.</summary>
    private interface IWiden16
    {
        static abstract Vector512<float> Widen(ushort* p);
        static abstract float Exact(ushort h);
    }

    /// <summary>Finite fp16 as floats 2^−112 times their value, exactly (the activations carry the 2^112).</summary>
    private struct F16Scaled : IWiden16
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Widen(ushort* p) => WidenF16Scaled(p, Vector512.Create(unchecked((int)0x8FFFE000)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Exact(ushort h) => Fp16.ToSingle(h);
    }

    /// <summary>bf16 as floats: the upper half of each.</summary>
    private struct Bf16Widen : IWiden16
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Widen(ushort* p) => WidenBf16(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Exact(ushort h) => BitConverter.UInt32BitsToSingle((uint)h << 16);
    }

    /// <summary>Sixteen finite fp16 as floats 2^−112 times their value, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> WidenF16Scaled(ushort* p, Vector512<int> mask) =>
        (Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(Vector256.Load((short*)p)), 13) & mask).AsSingle();

    /// <summary>Sixteen bf16 as floats: the upper half of each (the sign-extended bits are shifted out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> WidenBf16(ushort* p) =>
        Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(Vector256.Load((short*)p)), 16).AsSingle();

    /// <summary>
    /// One packed group's four rows as floats into dst [4][stride ≥ cols] (the prompt path's scratch): bf16 exactly, fp16 as
    /// w·2^−112 exactly (their partners are the scaled activations, <see cref="Activations.FS"/>).
    /// </summary>
    public static void Widen(ushort* w, bool bf16, int cols, float* dst, nint stride)
    {
        int full = cols / 16 * 16, tail = cols - full;
        var mask = Vector512.Create(unchecked((int)0x8FFFE000));
        for (int c = 0; c < full; c += 16, w += 64)
            for (int r = 0; r < GroupRows; r++)
                (bf16 ? WidenBf16(w + 16 * r) : WidenF16Scaled(w + 16 * r, mask)).Store(dst + r * stride + c);
        float down = 1f / ActivationQuantizer.F16Scale;
        for (int r = 0; r < GroupRows; r++, w += tail)
            for (int k = 0; k < tail; k++)
                dst[r * stride + full + k] = bf16 ? BitConverter.UInt32BitsToSingle((uint)w[k] << 16) : Fp16.ToSingle(w[k]) * down;
    }

    /// <summary>Whether any of the n fp16 values at h is an infinity or a NaN (exponent bits all ones).</summary>
    internal static bool AnySpecial(ushort* h, int n)
    {
        int i = 0;
        var e = Vector256.Create((ushort)0x7C00);
        var any = Vector256<ushort>.Zero;
        for (; i + 16 <= n; i += 16) any |= Vector256.Equals(Vector256.Load(h + i) & e, e);
        if (any != Vector256<ushort>.Zero) return true;
        for (; i < n; i++)
            if ((h[i] & 0x7C00) == 0x7C00) return true;
        return false;
    }
}

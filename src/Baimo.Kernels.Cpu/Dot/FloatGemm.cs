using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Prompt-sized products of F16 and BF16 matrices on AVX-512: four weight rows are widened to fp32 once into a
/// per-thread scratch [4][Cols], then a 4-row × 6-token register tile (24 accumulators of 16 lanes) runs over every
/// token. The widening, which costs as much as the multiply-adds in the dot kernels, is paid once per row per
/// product instead of once per row per four tokens, and each loaded weight vector feeds six tokens.
/// <para>Each result is the same bits as the single-token vector kernel: lanes 0–7 of an accumulator are that
/// kernel's first accumulator and lanes 8–15 its second, the halves are added and summed the same way, and the
/// columns past the last multiple of 16 are added one by one in order. So a prompt and the same tokens decoded
/// one at a time agree exactly.</para>
/// </summary>
internal static unsafe class FloatGemm
{
    private const int R = FloatRows.GroupRows, T = 6;

    /// <summary>Fewer tokens than this go through the dot tiles, which need no widening pass.</summary>
    public const int MinTokens = 8;

    public static bool Supports(WeightType type) =>
        type is WeightType.F16 or WeightType.BF16 && Vector512.IsHardwareAccelerated && Avx2.IsSupported;

    private struct Job
    {
        public byte* W;        // [Rows][RowBytes] fp16 or bf16, or packed [Rows / 4][GroupBytes] (FloatRows)
        public nint RowBytes;
        public bool Packed;
        public bool Bf16;
        public float* X;       // [Tokens][XStride] activations, already rounded to the weight type
        public nint XStride;
        public float* Y;       // [Tokens][Rows]
        public int Rows, Cols, Tokens;
    }

    /// <summary>y[t][r] = W[r] · x[t]; x [tokens][cols] (a->F), y [tokens][rows].</summary>
    public static void Multiply(byte* w, nint rowBytes, WeightType type, Activations* a, float* y, int rows, CpuThreadPool pool)
    {
        var job = new Job { W = w, RowBytes = rowBytes, Bf16 = type == WeightType.BF16, X = PaddedCopy(a->F, a->Tokens, a->Cols), XStride = Padded(a->Cols), Y = y, Rows = rows, Cols = a->Cols, Tokens = a->Tokens };
        int groups = (rows + R - 1) / R;
        pool.ForDynamic(groups, pool.Grain(groups), job, Body);
    }

    /// <summary>As <see cref="Multiply"/> with the weights in <see cref="FloatRows"/>' packed layout (whose groups are this tile's four rows).</summary>
    public static void MultiplyPacked(byte* packed, WeightType type, Activations* a, float* y, int rows, CpuThreadPool pool)
    {
        // F16 rows widen to w·2^−112 (no rescaling multiply) and meet the activations scaled by 2^112: the same products.
        bool bf16 = type == WeightType.BF16;
        var job = new Job { W = packed, RowBytes = FloatRows.GroupBytes(a->Cols), Packed = true, Bf16 = bf16, X = PaddedCopy(a->F, a->Tokens, a->Cols, scaleUp: !bf16), XStride = Padded(a->Cols), Y = y, Rows = rows, Cols = a->Cols, Tokens = a->Tokens };
        int groups = (rows + R - 1) / R;
        pool.ForDynamic(groups, pool.Grain(groups), job, Body);
    }

    private static readonly ForBody<Job> Body = Run;

    [ThreadStatic] private static nint t_scratch;
    [ThreadStatic] private static int t_capacity;

    /// <summary>This thread's [R][Padded(cols)] fp32 scratch, kept for the thread's life (at most a few hundred KiB).</summary>
    private static float* Scratch(int floats)
    {
        if (t_capacity < floats)
        {
            if (t_scratch != 0) NativeMemory.AlignedFree((void*)t_scratch);
            t_scratch = (nint)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
            t_capacity = floats;
        }
        return (float*)t_scratch;
    }

    private static void Run(Job j, int start, int end)
    {
        int cols = j.Cols;
        nint ws = Padded(cols), xs = j.XStride;
        float* wf = Scratch((int)(R * ws));
        for (int b = start; b < end; b++)
        {
            int r0 = b * R, n = Math.Min(R, j.Rows - r0);
            if (j.Packed) FloatRows.Widen((ushort*)(j.W + (nint)b * j.RowBytes), j.Bf16, cols, wf, ws);
            else
                for (int r = 0; r < n; r++) Widen(j.W + (nint)(r0 + r) * j.RowBytes, j.Bf16, wf + r * ws, cols);
            int t = 0;
            if (n == R)
            {
                // The next group's weights come from memory while this group's tiles compute (see NextGroup).
                var next = b + 1 < end ? NextGroup(j, b + 1, j.Tokens) : default;
                for (; t + T <= j.Tokens; t += T)
                {
                    next.Step();
                    Tile4x6(wf, ws, j.X + t * xs, xs, cols, j.Y + (nint)t * j.Rows + r0, j.Rows);
                }
                // The tokens left over: four, two, then one at a time, still four independent rows per loaded activation.
                for (; t + 4 <= j.Tokens; t += 4) Tile4x4(wf, ws, j.X + t * xs, xs, cols, j.Y + (nint)t * j.Rows + r0, j.Rows);
                for (; t + 2 <= j.Tokens; t += 2) Tile4x2(wf, ws, j.X + t * xs, xs, cols, j.Y + (nint)t * j.Rows + r0, j.Rows);
                for (; t < j.Tokens; t++) Tile4x1(wf, ws, j.X + t * xs, cols, j.Y + (nint)t * j.Rows + r0);
            }
            for (; t < j.Tokens; t++)
                for (int r = 0; r < n; r++)
                    j.Y[(nint)t * j.Rows + r0 + r] = Dot(wf + r * ws, j.X + t * xs, cols);
        }
    }

    /// <summary>
    /// The bytes of group <paramref name="g"/> as a prefetch spread over the 4×6 tiles of the group before it.
    /// Widening reads a group straight from memory, and nothing else in the product touches memory: without
    /// this, a thread stalls on every group's first read (about a tenth of a one-thread prompt).
    /// </summary>
    private static Prefetch NextGroup(in Job j, int g, int tokens)
    {
        int steps = Math.Max(1, tokens / T);
        if (j.Packed) return new Prefetch(j.W + g * j.RowBytes, j.RowBytes, steps);
        int r0 = g * R;
        return new Prefetch(j.W + r0 * j.RowBytes, Math.Min(R, j.Rows - r0) * j.RowBytes, steps);
    }

    /// <summary>
    /// The row stride of the widened rows and the copied activations: one cache line more than the row. Rows of
    /// 1,024 or 2,048 floats are a multiple of 4 KiB apart, so the ten streams a tile reads would all fall in the same
    /// L1 sets at every step and evict one another.
    /// </summary>
    private static nint Padded(int cols) => (cols + 15) / 16 * 16 + 16;

    [ThreadStatic] private static nint t_x;
    [ThreadStatic] private static long t_xCapacity;

    /// <summary>
    /// x [tokens][cols] copied to the calling thread's buffer [tokens][Padded(cols)]; with <paramref name="scaleUp"/>
    /// multiplied by 2^112 on the way (<see cref="ActivationQuantizer.ScaleUp"/>), for packed F16.
    /// </summary>
    private static float* PaddedCopy(float* x, int tokens, int cols, bool scaleUp = false)
    {
        nint stride = Padded(cols);
        long need = tokens * (long)stride;
        if (t_xCapacity < need)
        {
            if (t_x != 0) NativeMemory.AlignedFree((void*)t_x);
            t_x = (nint)NativeMemory.AlignedAlloc((nuint)(need * sizeof(float)), 64);
            t_xCapacity = need;
        }
        float* p = (float*)t_x;
        for (int t = 0; t < tokens; t++)
        {
            if (scaleUp) ActivationQuantizer.ScaleUp(x + (nint)t * cols, p + t * stride, cols);
            else new ReadOnlySpan<float>(x + (nint)t * cols, cols).CopyTo(new Span<float>(p + t * stride, cols));
        }
        return p;
    }

    /// <summary>One row of fp16 or bf16 to fp32, exactly.</summary>
    private static void Widen(byte* src, bool bf16, float* dst, int cols)
    {
        ushort* h = (ushort*)src;
        int i = 0;
        if (bf16)
        {
            for (; i + 8 <= cols; i += 8)
                Vector256.ShiftLeft(Avx2.ConvertToVector256Int32(Vector128.Load(h + i)).AsUInt32(), 16).AsSingle().Store(dst + i);
            for (; i < cols; i++) dst[i] = BitConverter.UInt32BitsToSingle((uint)h[i] << 16);
            return;
        }
        for (; i + 16 <= cols; i += 16)
        {
            F16Dot.Convert16(h + i, out var w0, out var w1);
            w0.Store(dst + i);
            w1.Store(dst + i + 8);
        }
        for (; i < cols; i++) dst[i] = Fp16.ToSingle(h[i]);
    }

    /// <summary>The two 8-lane halves added, summed as the single-token kernel sums, then the tail in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector512<float> acc, float* w, float* x, int i, int n)
    {
        float sum = Vector256.Sum(acc.GetLower() + acc.GetUpper());
        for (; i < n; i++) sum += w[i] * x[i];
        return sum;
    }

    /// <summary>
    /// Rows w[0..4) (ws apart) against one token x into y[0..4): the four accumulators summed together as
    /// <see cref="Finish"/> sums one, then each row's tail columns in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish4(Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3, float* w, nint ws, float* x, int i, int n, float* y)
    {
        var s = Sums4.Of(c0, c1, c2, c3);
        if (i == n)
        {
            s.Store(y);
            return;
        }
        for (int r = 0; r < R; r++)
        {
            float sum = s.GetElement(r);
            float* wr = w + r * ws;
            for (int k = i; k < n; k++) sum += wr[k] * x[k];
            y[r] = sum;
        }
    }

    private static float Dot(float* w, float* x, int n)
    {
        var acc = Vector512<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(w + i), Vector512.Load(x + i), acc);
        return Finish(acc, w, x, i, n);
    }

    /// <summary>Rows w[0..4) (each n floats) against tokens x[0..6) (each n floats); y[t·yStride + r].</summary>
    private static void Tile4x6(float* w, nint ws, float* x, nint xs, int n, float* y, nint yStride)
    {
        float* w1 = w + ws, w2 = w1 + ws, w3 = w2 + ws;
        float* x1 = x + xs, x2 = x1 + xs, x3 = x2 + xs, x4 = x3 + xs, x5 = x4 + xs;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c24 = default, c25 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default, c34 = default, c35 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var a0 = Vector512.Load(w + i);
            var a1 = Vector512.Load(w1 + i);
            var a2 = Vector512.Load(w2 + i);
            var a3 = Vector512.Load(w3 + i);
            var b = Vector512.Load(x + i);
            c00 = Vector512.FusedMultiplyAdd(a0, b, c00); c10 = Vector512.FusedMultiplyAdd(a1, b, c10);
            c20 = Vector512.FusedMultiplyAdd(a2, b, c20); c30 = Vector512.FusedMultiplyAdd(a3, b, c30);
            b = Vector512.Load(x1 + i);
            c01 = Vector512.FusedMultiplyAdd(a0, b, c01); c11 = Vector512.FusedMultiplyAdd(a1, b, c11);
            c21 = Vector512.FusedMultiplyAdd(a2, b, c21); c31 = Vector512.FusedMultiplyAdd(a3, b, c31);
            b = Vector512.Load(x2 + i);
            c02 = Vector512.FusedMultiplyAdd(a0, b, c02); c12 = Vector512.FusedMultiplyAdd(a1, b, c12);
            c22 = Vector512.FusedMultiplyAdd(a2, b, c22); c32 = Vector512.FusedMultiplyAdd(a3, b, c32);
            b = Vector512.Load(x3 + i);
            c03 = Vector512.FusedMultiplyAdd(a0, b, c03); c13 = Vector512.FusedMultiplyAdd(a1, b, c13);
            c23 = Vector512.FusedMultiplyAdd(a2, b, c23); c33 = Vector512.FusedMultiplyAdd(a3, b, c33);
            b = Vector512.Load(x4 + i);
            c04 = Vector512.FusedMultiplyAdd(a0, b, c04); c14 = Vector512.FusedMultiplyAdd(a1, b, c14);
            c24 = Vector512.FusedMultiplyAdd(a2, b, c24); c34 = Vector512.FusedMultiplyAdd(a3, b, c34);
            b = Vector512.Load(x5 + i);
            c05 = Vector512.FusedMultiplyAdd(a0, b, c05); c15 = Vector512.FusedMultiplyAdd(a1, b, c15);
            c25 = Vector512.FusedMultiplyAdd(a2, b, c25); c35 = Vector512.FusedMultiplyAdd(a3, b, c35);
        }
        Finish4(c00, c10, c20, c30, w, ws, x, i, n, y);
        y += yStride;
        Finish4(c01, c11, c21, c31, w, ws, x1, i, n, y);
        y += yStride;
        Finish4(c02, c12, c22, c32, w, ws, x2, i, n, y);
        y += yStride;
        Finish4(c03, c13, c23, c33, w, ws, x3, i, n, y);
        y += yStride;
        Finish4(c04, c14, c24, c34, w, ws, x4, i, n, y);
        y += yStride;
        Finish4(c05, c15, c25, c35, w, ws, x5, i, n, y);
    }

    /// <summary>Rows w[0..4) (each n floats) against tokens x[0..2); y[t·yStride + r].</summary>
    private static void Tile4x2(float* w, nint ws, float* x, nint xs, int n, float* y, nint yStride)
    {
        float* w1 = w + ws, w2 = w1 + ws, w3 = w2 + ws;
        float* x1 = x + xs;
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var a0 = Vector512.Load(w + i);
            var a1 = Vector512.Load(w1 + i);
            var a2 = Vector512.Load(w2 + i);
            var a3 = Vector512.Load(w3 + i);
            var b = Vector512.Load(x + i);
            c00 = Vector512.FusedMultiplyAdd(a0, b, c00); c10 = Vector512.FusedMultiplyAdd(a1, b, c10);
            c20 = Vector512.FusedMultiplyAdd(a2, b, c20); c30 = Vector512.FusedMultiplyAdd(a3, b, c30);
            b = Vector512.Load(x1 + i);
            c01 = Vector512.FusedMultiplyAdd(a0, b, c01); c11 = Vector512.FusedMultiplyAdd(a1, b, c11);
            c21 = Vector512.FusedMultiplyAdd(a2, b, c21); c31 = Vector512.FusedMultiplyAdd(a3, b, c31);
        }
        Finish4(c00, c10, c20, c30, w, ws, x, i, n, y);
        y += yStride;
        Finish4(c01, c11, c21, c31, w, ws, x1, i, n, y);
    }

    /// <summary>Rows w[0..4) (each n floats) against one token x; y[r].</summary>
    private static void Tile4x1(float* w, nint ws, float* x, int n, float* y)
    {
        float* w1 = w + ws, w2 = w1 + ws, w3 = w2 + ws;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var b = Vector512.Load(x + i);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i), b, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Load(w1 + i), b, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Load(w2 + i), b, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Load(w3 + i), b, c3);
        }
        Finish4(c0, c1, c2, c3, w, ws, x, i, n, y);
    }

    /// <summary>Rows w[0..4) (each n floats) against tokens x[0..4); y[t·yStride + r].</summary>
    private static void Tile4x4(float* w, nint ws, float* x, nint xs, int n, float* y, nint yStride)
    {
        float* w1 = w + ws, w2 = w1 + ws, w3 = w2 + ws;
        float* x1 = x + xs, x2 = x1 + xs, x3 = x2 + xs;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var a0 = Vector512.Load(w + i);
            var a1 = Vector512.Load(w1 + i);
            var a2 = Vector512.Load(w2 + i);
            var a3 = Vector512.Load(w3 + i);
            var b = Vector512.Load(x + i);
            c00 = Vector512.FusedMultiplyAdd(a0, b, c00); c10 = Vector512.FusedMultiplyAdd(a1, b, c10);
            c20 = Vector512.FusedMultiplyAdd(a2, b, c20); c30 = Vector512.FusedMultiplyAdd(a3, b, c30);
            b = Vector512.Load(x1 + i);
            c01 = Vector512.FusedMultiplyAdd(a0, b, c01); c11 = Vector512.FusedMultiplyAdd(a1, b, c11);
            c21 = Vector512.FusedMultiplyAdd(a2, b, c21); c31 = Vector512.FusedMultiplyAdd(a3, b, c31);
            b = Vector512.Load(x2 + i);
            c02 = Vector512.FusedMultiplyAdd(a0, b, c02); c12 = Vector512.FusedMultiplyAdd(a1, b, c12);
            c22 = Vector512.FusedMultiplyAdd(a2, b, c22); c32 = Vector512.FusedMultiplyAdd(a3, b, c32);
            b = Vector512.Load(x3 + i);
            c03 = Vector512.FusedMultiplyAdd(a0, b, c03); c13 = Vector512.FusedMultiplyAdd(a1, b, c13);
            c23 = Vector512.FusedMultiplyAdd(a2, b, c23); c33 = Vector512.FusedMultiplyAdd(a3, b, c33);
        }
        Finish4(c00, c10, c20, c30, w, ws, x, i, n, y);
        y += yStride;
        Finish4(c01, c11, c21, c31, w, ws, x1, i, n, y);
        y += yStride;
        Finish4(c02, c12, c22, c32, w, ws, x2, i, n, y);
        y += yStride;
        Finish4(c03, c13, c23, c33, w, ws, x3, i, n, y);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>Plain fp32 matrix products for attention (scores = Q·Kᵀ, and the like).</summary>
public static unsafe class Gemm
{
    /// <summary>
    /// c = a·bᵀ: c[i][j] = Σ_p a[i][p]·bT[j][p]. a [m][k], bT [n][k], c [m][n]. Splits over rows of c (or over
    /// its columns when there are fewer rows than threads) when a pool is given.
    /// </summary>
    public static void MultiplyF32(ReadOnlySpan<float> a, ReadOnlySpan<float> bT, Span<float> c, int m, int n, int k, CpuThreadPool? pool)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (a.Length < (long)m * k) throw new ArgumentException($"a holds {a.Length} values, [{m}][{k}] needs {(long)m * k}", nameof(a));
        if (bT.Length < (long)n * k) throw new ArgumentException($"bT holds {bT.Length} values, [{n}][{k}] needs {(long)n * k}", nameof(bT));
        if (c.Length < (long)m * n) throw new ArgumentException($"c holds {c.Length} values, [{m}][{n}] needs {(long)m * n}", nameof(c));
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = bT, pc = c)
        {
            var job = new Job { A = pa, B = pb, C = pc, M = m, N = n, K = k };
            // Below ~16k multiply-adds the hand-off to the workers costs more than it saves.
            if (pool == null || pool.Threads == 1 || (long)m * n * k < 16384) Run(job, 0, m);
            else if (m >= pool.Threads) pool.For(m, job, RowsBody);
            else pool.For(n, job, ColumnsBody);
        }
    }

    private struct Job
    {
        public float* A, B, C; // [M][K], [N][K], [M][N]
        public int M, N, K;
    }

    private static readonly ForBody<Job> RowsBody = Run;
    private static readonly ForBody<Job> ColumnsBody = (j, start, end) =>
    {
        for (int i = 0; i < j.M; i++)
            for (int jj = start; jj < end; jj++)
                j.C[(nint)i * j.N + jj] = Dot(j.A + (nint)i * j.K, j.B + (nint)jj * j.K, j.K);
    };

    private static void Run(Job j, int start, int end)
    {
        for (int i = start; i < end; i++)
            for (int jj = 0; jj < j.N; jj++)
                j.C[(nint)i * j.N + jj] = Dot(j.A + (nint)i * j.K, j.B + (nint)jj * j.K, j.K);
    }

    /// <summary>Σ x[i]·y[i] over n floats, fused multiply-adds in vector lanes, then the remainder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(float* x, float* y, int n)
    {
        int i = 0;
        float sum = 0f;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported && n >= 8)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i + 8), Vector256.Load(y + i + 8), acc1);
            }
            if (i + 8 <= n)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), acc0);
                i += 8;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        else if (Vector128.IsHardwareAccelerated && n >= 4)
        {
            // ARM64 NEON (Vector256 is not accelerated there), and x86 with AVX but no FMA.
            var acc0 = Vector128<float>.Zero;
            var acc1 = Vector128<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                acc0 = V128.MultiplyAdd(Vector128.Load(x + i), Vector128.Load(y + i), acc0);
                acc1 = V128.MultiplyAdd(Vector128.Load(x + i + 4), Vector128.Load(y + i + 4), acc1);
            }
            if (i + 4 <= n)
            {
                acc0 = V128.MultiplyAdd(Vector128.Load(x + i), Vector128.Load(y + i), acc0);
                i += 4;
            }
            sum = Vector128.Sum(acc0 + acc1);
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }
}

using System.Diagnostics;
using System.Numerics;
using Baimo.Kernels.Cpu;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Benchmarks;

/// <summary>
/// The machine's own ceilings, measured once per run on the benchmark's thread count, so that each kernel figure sits
/// next to what this machine can do rather than next to a number from another one: the read bandwidth of memory
/// (a 256 MiB buffer summed by every thread), fp32 fused multiply-adds, and the byte products the quantized kernels
/// use on this CPU without VNNI (<c>vpmaddubsw</c>), each as independent chains that keep the units busy.
/// </summary>
public static unsafe class MachinePeaks
{
    private const long BufferBytes = 256L << 20;
    private const int Passes = 4; // each thread reads its part this often per measurement

    /// <summary>Read bandwidth, GB/s.</summary>
    public static double ReadGBs(int threads)
    {
        // In the memory the packed weights get (transparent huge pages where offered): on 4 KiB pages the TLB misses
        // cost a third of the bandwidth here.
        byte* buf = PackedKernel.Allocate((nint)BufferBytes);
        try
        {
            new Span<byte>(buf, (int)BufferBytes).Fill(1); // touch every page before timing
            long per = BufferBytes / threads;
            double best = 0;
            for (int round = 0; round < 5; round++)
            {
                double seconds = OnThreads(threads, t => { for (int pass = 0; pass < Passes; pass++) Sink(Sum(buf + t * per, per)); });
                best = Math.Max(best, Passes * BufferBytes / seconds / 1e9);
            }
            return best;
        }
        finally
        {
            NativeMemory.AlignedFree(buf);
        }
    }

    /// <summary>fp32 multiply-adds × 2 per second, GFLOP/s (zero where the CPU has no vector FMA).</summary>
    public static double FmaGFlops(int threads) =>
        Vector256.IsHardwareAccelerated && Fma.IsSupported ? Rate(threads, FmaLoop, 2.0 * 8 * 8) :
        Vector128.IsHardwareAccelerated ? Rate(threads, FmaLoop128, 2.0 * 4 * 8) : 0;

    /// <summary>
    /// 8-bit multiply-adds × 2 per second through <c>vpmaddubsw</c> alone (512-bit where AVX-512 BW is present), GOP/s:
    /// the ceiling of a kernel without VNNI, which must also widen and scale (zero without AVX2).
    /// </summary>
    public static double Int8GOps(int threads) =>
        Avx512BW.IsSupported ? Rate(threads, Int8Loop512, 2.0 * 64 * 4) : Avx2.IsSupported ? Rate(threads, Int8Loop, 2.0 * 32 * 4) : 0;

    private const int Iterations = 1 << 22;

    /// <summary>
    /// Operations per second of <paramref name="threads"/> cores, in G/s: one core's best of five, times the cores (each
    /// core has its own units; timing several threads at once also times whatever else the host runs on them).
    /// </summary>
    private static double Rate(int threads, Func<int, float> loop, double opsPerIteration)
    {
        OnThreads(1, _ => Sink(loop(Iterations / 8))); // optimized code before timing
        double best = 0;
        for (int round = 0; round < 5; round++)
            best = Math.Max(best, opsPerIteration * Iterations / OnThreads(1, _ => Sink(loop(Iterations))) / 1e9);
        return best * threads;
    }

    /// <summary>
    /// Runs <paramref name="work"/>(t) on <paramref name="threads"/> threads of its own, started together, and returns
    /// the seconds from the common start to the last one's end (dedicated threads: a busy shared pool would run the
    /// parts one after another and halve the figure).
    /// </summary>
    private static double OnThreads(int threads, Action<int> work)
    {
        using var ready = new Barrier(threads + 1);
        var sw = new Stopwatch();
        var all = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            all[t] = new Thread(() => { ready.SignalAndWait(); work(id); }) { IsBackground = true };
            all[t].Start();
        }
        // The clock starts before the release: started after it, a thread that finished while this one was waking
        // would go unmeasured (a wake-up is microseconds, a measured part milliseconds).
        sw.Start();
        ready.SignalAndWait();
        foreach (var th in all) th.Join();
        return sw.Elapsed.TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sink<T>(T value) => GC.KeepAlive(value);

    private static long Sum(byte* p, long bytes)
    {
        // Vector<long>: the widest vector this CPU accelerates (256-bit on x86, 128-bit on ARM64).
        var a = Vector<long>.Zero;
        var b = Vector<long>.Zero;
        int step = 2 * Vector<byte>.Count;
        for (long i = 0; i + step <= bytes; i += step)
        {
            a += Unsafe.Read<Vector<long>>(p + i);
            b += Unsafe.Read<Vector<long>>(p + i + Vector<byte>.Count);
        }
        return Vector.Sum(a + b);
    }

    /// <summary>Eight independent chains of 8-lane FMAs (enough to cover the latency of two FMA units).</summary>
    private static float FmaLoop(int n)
    {
        var m = Vector256.Create(0.999f);
        var c = Vector256.Create(1e-3f);
        Vector256<float> a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c;
        for (int i = 0; i < n; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c);
            a2 = Fma.MultiplyAdd(a2, m, c); a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    private static float FmaLoop128(int n)
    {
        var m = Vector128.Create(0.999f);
        var c = Vector128.Create(1e-3f);
        Vector128<float> a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c;
        for (int i = 0; i < n; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, m, c); a1 = Vector128.FusedMultiplyAdd(a1, m, c);
            a2 = Vector128.FusedMultiplyAdd(a2, m, c); a3 = Vector128.FusedMultiplyAdd(a3, m, c);
            a4 = Vector128.FusedMultiplyAdd(a4, m, c); a5 = Vector128.FusedMultiplyAdd(a5, m, c);
            a6 = Vector128.FusedMultiplyAdd(a6, m, c); a7 = Vector128.FusedMultiplyAdd(a7, m, c);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    /// <summary>Four independent chains of 32 byte products each (<c>vpmaddubsw</c>, int16 pair sums added up).</summary>
    private static float Int8Loop(int n)
    {
        var u = Vector256.Create((byte)3);
        // Four different signed operands, so that no two products are the same expression.
        Vector256<sbyte> s0 = Vector256.Create((sbyte)-2), s1 = Vector256.Create((sbyte)5), s2 = Vector256.Create((sbyte)-7), s3 = Vector256.Create((sbyte)11);
        Vector256<short> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < n; i++)
        {
            a0 += Avx2.MultiplyAddAdjacent(u, s0);
            a1 += Avx2.MultiplyAddAdjacent(u, s1);
            a2 += Avx2.MultiplyAddAdjacent(u, s2);
            a3 += Avx2.MultiplyAddAdjacent(u, s3);
            u += Vector256<byte>.One; // keeps the products from being hoisted out of the loop
        }
        return Vector256.Sum(a0 + a1 + a2 + a3);
    }

    private static float Int8Loop512(int n)
    {
        var u = Vector512.Create((byte)3);
        Vector512<sbyte> s0 = Vector512.Create((sbyte)-2), s1 = Vector512.Create((sbyte)5), s2 = Vector512.Create((sbyte)-7), s3 = Vector512.Create((sbyte)11);
        Vector512<short> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < n; i++)
        {
            a0 += Avx512BW.MultiplyAddAdjacent(u, s0);
            a1 += Avx512BW.MultiplyAddAdjacent(u, s1);
            a2 += Avx512BW.MultiplyAddAdjacent(u, s2);
            a3 += Avx512BW.MultiplyAddAdjacent(u, s3);
            u += Vector512<byte>.One;
        }
        return Vector512.Sum(a0 + a1 + a2 + a3);
    }
}

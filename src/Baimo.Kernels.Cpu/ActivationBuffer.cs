using System.Runtime.InteropServices;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Native scratch memory for converted activations, grown on demand and reused across calls, so a
/// matrix product allocates nothing once the largest batch has been seen. Not thread-safe: one per session.
/// </summary>
internal sealed unsafe class ActivationBuffer : IDisposable
{
    private const int Align = 64; // cache line: each array starts on its own line
    private byte* _memory;
    private nuint _capacity;

    /// <summary>
    /// Converts <paramref name="x"/> [tokens][cols] to <paramref name="format"/>, splitting tokens over
    /// <paramref name="pool"/> when there are several. For F32 the result points at <paramref name="x"/> itself.
    /// <paramref name="scaledF16"/>: for F16, also fill <see cref="Activations.FS"/>.
    /// </summary>
    public Activations Prepare(WeightType format, float* x, int tokens, int cols, CpuThreadPool pool, bool scaledF16 = false)
    {
        var a = new Activations { Format = format, Tokens = tokens, Cols = cols };
        if (format == WeightType.F32)
        {
            a.F = x;
            return a;
        }
        nuint n = (nuint)tokens * (nuint)cols;
        nuint need = format switch
        {
            WeightType.F16 when scaledF16 => 2 * Round(n * 4),
            WeightType.F16 or WeightType.BF16 => Round(n * 4),
            WeightType.Q8_0 => Round(n) + 2 * Round(n / 32 * 4),
            WeightType.Q8_1 => Round(n) + 2 * Round(n / 32 * 4),
            WeightType.Q8_K => Round(n) + Round(n / 256 * 4) + Round(n / 16 * 2),
            _ => throw new NotSupportedException($"{format} is not an activation format"),
        };
        Ensure(need);
        byte* p = _memory;
        switch (format)
        {
            case WeightType.F16:
            case WeightType.BF16:
                a.F = (float*)p;
                if (scaledF16 && format == WeightType.F16) a.FS = (float*)(p + Round(n * 4));
                break;
            case WeightType.Q8_0:
                a.Q = (sbyte*)p; p += Round(n);
                a.D = (float*)p; p += Round(n / 32 * 4);
                a.DS = (float*)p;
                break;
            case WeightType.Q8_1:
                a.Q = (sbyte*)p; p += Round(n);
                a.D = (float*)p; p += Round(n / 32 * 4);
                a.S = (float*)p;
                break;
            case WeightType.Q8_K:
                a.Q = (sbyte*)p; p += Round(n);
                a.D = (float*)p; p += Round(n / 256 * 4);
                a.BSums = (short*)p;
                break;
        }
        var job = new QuantizeJob { A = a, X = x };
        // A token is ~1 µs of work per 1000 columns: split only when there are several.
        if (tokens > 1 && (long)tokens * cols >= 8192) pool.For(tokens, job, QuantizeBody);
        else QuantizeBody(job, 0, tokens);
        return a;
    }

    private struct QuantizeJob
    {
        public Activations A;
        public float* X; // [tokens][cols]
    }

    private static readonly ForBody<QuantizeJob> QuantizeBody = (job, start, end) =>
    {
        for (int t = start; t < end; t++) ActivationQuantizer.QuantizeRow(ref job.A, job.X + (nint)t * job.A.Cols, t);
    };

    private static nuint Round(nuint bytes) => (bytes + Align - 1) & ~(nuint)(Align - 1);

    private void Ensure(nuint bytes)
    {
        if (bytes <= _capacity) return;
        nuint size = Math.Max(bytes, _capacity * 3 / 2);
        if (_memory != null) NativeMemory.AlignedFree(_memory);
        _memory = null;
        _capacity = 0;
        _memory = (byte*)NativeMemory.AlignedAlloc(size, Align);
        _capacity = size;
    }

    public void Dispose()
    {
        if (_memory != null) NativeMemory.AlignedFree(_memory);
        _memory = null;
        _capacity = 0;
        GC.SuppressFinalize(this);
    }

    ~ActivationBuffer() => Dispose();
}

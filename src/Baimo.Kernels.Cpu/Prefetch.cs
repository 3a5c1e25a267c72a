using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// A range of memory brought into L2 a slice at a time: each <see cref="Step"/> asks for the next
/// 1/steps of its cache lines. Compute-bound loops use it to fetch the data of their next unit of work
/// while they work on this one, instead of stalling on it afterwards. A hint: it changes no result.
/// </summary>
internal unsafe struct Prefetch
{
    private const int Line = 64;
    private byte* _at;
    private readonly byte* _end;
    private readonly nint _perStep;

    public Prefetch(byte* start, nint bytes, int steps)
    {
        _at = start;
        _end = start + bytes;
        _perStep = (bytes / Line + steps - 1) / steps * Line;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step()
    {
        if (_at >= _end || !Sse.IsSupported) return;
        byte* stop = _at + _perStep < _end ? _at + _perStep : _end;
        for (; _at < stop; _at += Line) Sse.Prefetch1(_at);
    }
}

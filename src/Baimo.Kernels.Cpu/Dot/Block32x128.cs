using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// A 32-value block type as the 128-bit kernels read it: the block's codes as signed bytes and its scale, and for
/// the types with a minimum (Q4_1, Q5_1) that too. value = d·code (+ m).
/// </summary>
internal unsafe interface IBlock32 : IRowDot
{
    /// <summary>Bytes of a block in the file layout.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>Whether values carry a per-block minimum m (the activations are then Q8_1, with s = d_x·Σcode).</summary>
    static abstract bool HasBlockMin { get; }

    /// <summary>Elements 0..15 and 16..31 of the block at <paramref name="w"/>, as signed codes.</summary>
    static abstract void Codes(byte* w, out Vector128<sbyte> lo, out Vector128<sbyte> hi);

    /// <summary>d of the block.</summary>
    static abstract float Scale(byte* w);

    /// <summary>m of the block (0 for the types without one).</summary>
    static abstract float Min(byte* w);
}

/// <summary>
/// The 128-bit kernel of every 32-value block type, in the file layout (ARM64 has no packed layout yet): a block is
/// decoded once and met by every token of the tile, so a prompt reads each weight row once per four tokens.
/// </summary>
internal static unsafe class Block32x128
{
    public static void Tile<T, TDot>(byte* w, Activations* a, int t0, int count, float* y, nint yStride)
        where T : IBlock32 where TDot : ISdot128
    {
        int cols = a->Cols, nb = cols / 32;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        float* s = T.HasBlockMin ? a->S + (nint)t0 * nb : null;
        if (count == 4)
        {
            Dot4<T, TDot>(w, q, d, s, cols, nb, y, yStride);
            return;
        }
        for (int i = 0; i < count; i++)
            y[i * yStride] = Dot1<T, TDot>(w, q + (nint)i * cols, d + (nint)i * nb, T.HasBlockMin ? s + (nint)i * nb : null, nb);
    }

    /// <summary>Σ over the block of code·q, with the two halves' products in one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Block<TDot>(Vector128<sbyte> lo, Vector128<sbyte> hi, sbyte* q) where TDot : ISdot128 =>
        TDot.Dot(TDot.Dot(Vector128<int>.Zero, lo, Vector128.Load(q)), hi, Vector128.Load(q + 16));

    /// <summary>One token: q [cols], dx [nb], sx [nb] or null.</summary>
    private static float Dot1<T, TDot>(byte* w, sbyte* q, float* dx, float* sx, int nb) where T : IBlock32 where TDot : ISdot128
    {
        var acc0 = Vector128<float>.Zero;
        var acc1 = Vector128<float>.Zero;
        float m = 0f;
        int b = 0;
        for (; b + 1 < nb; b += 2, w += 2 * T.BlockBytes, q += 64)
        {
            T.Codes(w, out var l0, out var h0);
            T.Codes(w + T.BlockBytes, out var l1, out var h1);
            acc0 = V128.ScaleAdd(Block<TDot>(l0, h0, q), T.Scale(w) * dx[b], acc0);
            acc1 = V128.ScaleAdd(Block<TDot>(l1, h1, q + 32), T.Scale(w + T.BlockBytes) * dx[b + 1], acc1);
            if (T.HasBlockMin) m += T.Min(w) * sx[b] + T.Min(w + T.BlockBytes) * sx[b + 1];
        }
        if (b < nb)
        {
            T.Codes(w, out var l0, out var h0);
            acc0 = V128.ScaleAdd(Block<TDot>(l0, h0, q), T.Scale(w) * dx[b], acc0);
            if (T.HasBlockMin) m += T.Min(w) * sx[b];
        }
        return Vector128.Sum(acc0 + acc1) + m;
    }

    /// <summary>Four tokens at once: q [4][cols], dx and sx [4][nb].</summary>
    private static void Dot4<T, TDot>(byte* w, sbyte* q, float* dx, float* sx, int cols, int nb, float* y, nint yStride)
        where T : IBlock32 where TDot : ISdot128
    {
        var acc0 = Vector128<float>.Zero;
        var acc1 = Vector128<float>.Zero;
        var acc2 = Vector128<float>.Zero;
        var acc3 = Vector128<float>.Zero;
        float m0 = 0f, m1 = 0f, m2 = 0f, m3 = 0f;
        sbyte* q1 = q + cols, q2 = q1 + cols, q3 = q2 + cols;
        float* d1 = dx + nb, d2 = d1 + nb, d3 = d2 + nb;
        for (int b = 0; b < nb; b++, w += T.BlockBytes)
        {
            T.Codes(w, out var lo, out var hi);
            float dw = T.Scale(w);
            nint o = 32 * b;
            acc0 = V128.ScaleAdd(Block<TDot>(lo, hi, q + o), dw * dx[b], acc0);
            acc1 = V128.ScaleAdd(Block<TDot>(lo, hi, q1 + o), dw * d1[b], acc1);
            acc2 = V128.ScaleAdd(Block<TDot>(lo, hi, q2 + o), dw * d2[b], acc2);
            acc3 = V128.ScaleAdd(Block<TDot>(lo, hi, q3 + o), dw * d3[b], acc3);
            if (T.HasBlockMin)
            {
                float mw = T.Min(w);
                m0 += mw * sx[b];
                m1 += mw * sx[nb + b];
                m2 += mw * sx[2 * nb + b];
                m3 += mw * sx[3 * nb + b];
            }
        }
        y[0] = Vector128.Sum(acc0) + m0;
        y[yStride] = Vector128.Sum(acc1) + m1;
        y[2 * yStride] = Vector128.Sum(acc2) + m2;
        y[3 * yStride] = Vector128.Sum(acc3) + m3;
    }
}

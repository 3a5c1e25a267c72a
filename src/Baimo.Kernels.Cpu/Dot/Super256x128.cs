using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// A 256-value super-block type (the K types, IQ4_XS) as the 128-bit kernels read it: the super-block decoded into
/// signed codes in element order with one integer scale per 16 values, and for the types with minimums (Q2_K, Q4_K,
/// Q5_K) one minimum per 16 values. value = d·scale_g·code − dmin·min_g.
/// </summary>
internal unsafe interface ISuper256 : IRowDot
{
    /// <summary>Bytes of a block in the file layout.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>Whether the type has minimums (met through the activations' 16-value sums).</summary>
    static abstract bool HasMins { get; }

    /// <summary>Decodes the super-block at <paramref name="w"/>: codes [256], scales [16], mins [16] (when it has them); returns d.</summary>
    static abstract float Decode(byte* w, sbyte* codes, int* scales, short* mins);

    /// <summary>dmin of the super-block (0 for the types without minimums).</summary>
    static abstract float MinScale(byte* w);
}

/// <summary>
/// The 128-bit kernel of every super-block type, in the file layout: a super-block is decoded once into 256 codes
/// (L1-resident scratch) and met by every token of the tile; each 16 codes take one dot-product instruction per token.
/// </summary>
internal static unsafe class Super256x128
{
    public static void Tile<T, TDot>(byte* w, Activations* a, int t0, int count, float* y, nint yStride)
        where T : ISuper256 where TDot : ISdot128
    {
        int cols = a->Cols, nb = cols / 256;
        sbyte* codes = stackalloc sbyte[256];
        int* scales = stackalloc int[16];
        short* mins = stackalloc short[16];
        float* sums = stackalloc float[DotKernel.MaxTile];
        for (int i = 0; i < count; i++) sums[i] = 0f;
        for (int b = 0; b < nb; b++, w += T.BlockBytes)
        {
            float d = T.Decode(w, codes, scales, mins);
            float dmin = T.HasMins ? T.MinScale(w) : 0f;
            for (int i = 0; i < count; i++)
            {
                nint t = t0 + i;
                float dx = a->D[t * nb + b];
                float r = dx * d * Sum<TDot>(codes, scales, a->Q + t * cols + 256 * b);
                if (T.HasMins) r -= dx * dmin * MinSum(mins, a->BSums + t * (cols / 16) + 16 * b);
                sums[i] += r;
            }
        }
        for (int i = 0; i < count; i++) y[i * yStride] = sums[i];
    }

    /// <summary>
    /// The eight 6-bit scales and mins of a Q4_K/Q5_K super-block's 12 bytes at <paramref name="packed"/>, each written for
    /// both 16-value halves of its sub-block: scales [16], mins [16].
    /// </summary>
    public static void ScalesMinsK4(byte* packed, int* scales, short* mins)
    {
        for (int j = 0; j < 8; j++)
        {
            Blocks.ScaleMinK4(j, packed, out int sc, out int m);
            scales[2 * j] = scales[2 * j + 1] = sc;
            mins[2 * j] = mins[2 * j + 1] = (short)m;
        }
    }

    /// <summary>Σ_g scales[g]·Σ_{k&lt;16} codes[16g + k]·q[16g + k] (codes, q [256]; fits int32 for every type).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Sum<TDot>(sbyte* codes, int* scales, sbyte* q) where TDot : ISdot128
    {
        var acc0 = Vector128<int>.Zero;
        var acc1 = Vector128<int>.Zero;
        for (int g = 0; g < 16; g += 2)
        {
            var p0 = TDot.Dot(Vector128<int>.Zero, Vector128.Load(codes + 16 * g), Vector128.Load(q + 16 * g));
            var p1 = TDot.Dot(Vector128<int>.Zero, Vector128.Load(codes + 16 * g + 16), Vector128.Load(q + 16 * g + 16));
            acc0 += p0 * Vector128.Create(scales[g]);
            acc1 += p1 * Vector128.Create(scales[g + 1]);
        }
        return Vector128.Sum(acc0 + acc1);
    }

    /// <summary>Σ_g mins[g]·bsums[g] over the 16 groups (mins, bsums [16]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MinSum(short* mins, short* bsums)
    {
        var m0 = Vector128.Load(mins);
        var m1 = Vector128.Load(mins + 8);
        var b0 = Vector128.Load(bsums);
        var b1 = Vector128.Load(bsums + 8);
        var p = Vector128.WidenLower(m0) * Vector128.WidenLower(b0) + Vector128.WidenUpper(m0) * Vector128.WidenUpper(b0)
              + Vector128.WidenLower(m1) * Vector128.WidenLower(b1) + Vector128.WidenUpper(m1) * Vector128.WidenUpper(b1);
        return Vector128.Sum(p);
    }
}

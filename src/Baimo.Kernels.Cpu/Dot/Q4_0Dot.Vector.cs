using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Baimo.Kernels.Cpu.Blocks;

namespace Baimo.Kernels.Cpu;

internal unsafe partial struct Q4_0Dot
{
    /// <summary>The vector kernel: one block's 32 codes are unpacked once and met by every token of the tile.</summary>
    public static void Tile<TIsa>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where TIsa : IInt8Isa
    {
        int cols = a->Cols, nb = cols / 32;
        sbyte* q = a->Q + (nint)t0 * cols;
        float* d = a->D + (nint)t0 * nb;
        if (count == 4)
        {
            Dot4<TIsa>(w, q, d, cols, nb, y, yStride);
            return;
        }
        for (int i = 0; i < count; i++) y[i * yStride] = Dot1<TIsa>(w, q + (nint)i * cols, d + (nint)i * nb, nb);
    }

    private static float Dot1<TIsa>(byte* w, sbyte* q, float* dx, int nb) where TIsa : IInt8Isa
    {
        var eight = Vector256.Create((sbyte)8);
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int b = 0;
        for (; b + 1 < nb; b += 2, w += 2 * BlockBytes, q += 64)
        {
            var x0 = Vec.Nibbles16(w + 2).AsSByte() - eight;
            var x1 = Vec.Nibbles16(w + BlockBytes + 2).AsSByte() - eight;
            var i0 = Vec.DotS8S8<TIsa>(Vector256<int>.Zero, Avx2.Abs(x0), x0, Vector256.Load(q));
            var i1 = Vec.DotS8S8<TIsa>(Vector256<int>.Zero, Avx2.Abs(x1), x1, Vector256.Load(q + 32));
            acc0 = Vec.ScaleAdd(i0, Half(w) * dx[b], acc0);
            acc1 = Vec.ScaleAdd(i1, Half(w + BlockBytes) * dx[b + 1], acc1);
        }
        if (b < nb)
        {
            var x0 = Vec.Nibbles16(w + 2).AsSByte() - eight;
            var i0 = Vec.DotS8S8<TIsa>(Vector256<int>.Zero, Avx2.Abs(x0), x0, Vector256.Load(q));
            acc0 = Vec.ScaleAdd(i0, Half(w) * dx[b], acc0);
        }
        return Vector256.Sum(acc0 + acc1);
    }

    private static void Dot4<TIsa>(byte* w, sbyte* q, float* dx, int cols, int nb, float* y, nint yStride) where TIsa : IInt8Isa
    {
        var eight = Vector256.Create((sbyte)8);
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var acc2 = Vector256<float>.Zero;
        var acc3 = Vector256<float>.Zero;
        sbyte* q1 = q + cols, q2 = q1 + cols, q3 = q2 + cols;
        float* d1 = dx + nb, d2 = d1 + nb, d3 = d2 + nb;
        for (int b = 0; b < nb; b++, w += BlockBytes)
        {
            var x = Vec.Nibbles16(w + 2).AsSByte() - eight;
            var ax = Avx2.Abs(x);
            float dw = Half(w);
            nint o = 32 * b;
            acc0 = Vec.ScaleAdd(Vec.DotS8S8<TIsa>(Vector256<int>.Zero, ax, x, Vector256.Load(q + o)), dw * dx[b], acc0);
            acc1 = Vec.ScaleAdd(Vec.DotS8S8<TIsa>(Vector256<int>.Zero, ax, x, Vector256.Load(q1 + o)), dw * d1[b], acc1);
            acc2 = Vec.ScaleAdd(Vec.DotS8S8<TIsa>(Vector256<int>.Zero, ax, x, Vector256.Load(q2 + o)), dw * d2[b], acc2);
            acc3 = Vec.ScaleAdd(Vec.DotS8S8<TIsa>(Vector256<int>.Zero, ax, x, Vector256.Load(q3 + o)), dw * d3[b], acc3);
        }
        y[0] = Vector256.Sum(acc0);
        y[yStride] = Vector256.Sum(acc1);
        y[2 * yStride] = Vector256.Sum(acc2);
        y[3 * yStride] = Vector256.Sum(acc3);
    }
}

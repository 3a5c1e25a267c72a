using System.Diagnostics;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q5_K: super-blocks of 256 values, 176 bytes: fp16 d, fp16 dmin, scales[12] (as Q4_K), qh[32], qs[128];
/// value = d·scale·code − dmin·min. Low nibbles are packed as in Q4_K; the fifth bit of element
/// 64·c + l is bit 2c of qh[l] and of element 64·c + 32 + l bit 2c + 1.
/// </summary>
internal static class Q5_K
{
    public const int BlockSize = 256, BlockBytes = 176;
    private const int DAt = 0, DminAt = 2, ScalesAt = 4, QhAt = 16, QsAt = 48;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][176], dst [blocks·256]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        var low = Vector256.Create((byte)0x0F);
        var one = Vector256.Create((byte)1);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, DAt), dmin = ReadHalf(b, DminAt);
            var scales = b.Slice(ScalesAt, 12);
            var qh = Vector256.Create(b.Slice(QhAt, 32));
            for (int c = 0; c < 4; c++)
            {
                GetScaleMinK4(2 * c, scales, out int sc, out int m);
                float d1 = d * sc, m1 = dmin * m;
                GetScaleMinK4(2 * c + 1, scales, out sc, out m);
                float d2 = d * sc, m2 = dmin * m;
                var ql = Vector256.Create(b.Slice(QsAt + 32 * c, 32));
                var lo = (ql & low) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 2 * c) & one, 4);
                var hi = Vector256.ShiftRightLogical(ql, 4) | Vector256.ShiftLeft(Vector256.ShiftRightLogical(qh, 2 * c + 1) & one, 4);
                Simd.ScaleAdd32(lo.AsSByte(), d1, -m1, y.Slice(64 * c, 32));
                Simd.ScaleAdd32(hi.AsSByte(), d2, -m2, y.Slice(64 * c + 32, 32));
            }
        }
    }

    internal static void DequantizeScalar(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            var y = dst.Slice(i * BlockSize, BlockSize);
            float d = ReadHalf(b, DAt), dmin = ReadHalf(b, DminAt);
            var scales = b.Slice(ScalesAt, 12);
            var qh = b.Slice(QhAt, 32);
            for (int c = 0; c < 4; c++)
            {
                GetScaleMinK4(2 * c, scales, out int sc, out int m);
                float d1 = d * sc, m1 = dmin * m;
                GetScaleMinK4(2 * c + 1, scales, out sc, out m);
                float d2 = d * sc, m2 = dmin * m;
                int s1 = 2 * c, s2 = 2 * c + 1; // qh bits of the two sub-blocks
                var ql = b.Slice(QsAt + 32 * c, 32);
                var y1 = y.Slice(64 * c, 32);
                var y2 = y.Slice(64 * c + 32, 32);
                // Branch-free high bit: random bits would defeat the branch predictor.
                for (int l = 0; l < 32; l++) y1[l] = d1 * ((ql[l] & 0xF) | (((qh[l] >> s1) & 1) << 4)) - m1;
                for (int l = 0; l < 32; l++) y2[l] = d2 * ((ql[l] >> 4) | (((qh[l] >> s2) & 1) << 4)) - m2;
            }
        }
    }

    /// <summary>
    /// ggml's quantize_row_q5_K_ref: as Q4_K's with nmax 31 and a narrower scale search
    /// (rmin −0.5, 16 steps of 0.1).
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·256], dst [blocks][176]
    {
        Debug.Assert(dst.Length == src.Length / BlockSize * BlockBytes);
        Span<byte> codes = stackalloc byte[BlockSize];
        KQuant4Or5.QuantizeSuperBlocks(src, dst, BlockBytes, nmax: 31, rmin: -0.5f, rdelta: 0.1f, nstep: 15, codes,
            static (codes, b) =>
            {
                var qh = b.Slice(QhAt, 32);
                qh.Clear();
                for (int c = 0; c < 4; c++)
                {
                    byte m1 = (byte)(1 << (2 * c)), m2 = (byte)(2 << (2 * c));
                    for (int l = 0; l < 32; l++)
                    {
                        int l1 = codes[64 * c + l], l2 = codes[64 * c + 32 + l];
                        if (l1 > 15) { l1 -= 16; qh[l] |= m1; }
                        if (l2 > 15) { l2 -= 16; qh[l] |= m2; }
                        b[QsAt + 32 * c + l] = (byte)(l1 | (l2 << 4));
                    }
                }
            });
    }
}

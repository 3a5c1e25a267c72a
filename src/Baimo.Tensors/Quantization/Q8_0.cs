using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Baimo.Tensors.Quantization.QuantMath;

namespace Baimo.Tensors.Quantization;

/// <summary>
/// Q8_0: blocks of 32 values, 34 bytes: fp16 d, 32 int8 codes; value = code·d. Also the activation format
/// the CPU matmul of Q4_0/Q5_0/Q8_0/IQ4_NL weights converts its float input to.
/// </summary>
internal static class Q8_0
{
    public const int BlockSize = 32, BlockBytes = 34;

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) // src [blocks][34], dst [blocks·32]
    {
        if (Simd.Enabled) DequantizeVector(src, dst);
        else DequantizeScalar(src, dst);
    }

    internal static void DequantizeVector(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = src.Length / BlockBytes;
        Debug.Assert(dst.Length == nb * BlockSize);
        for (int i = 0; i < nb; i++)
        {
            var b = src.Slice(i * BlockBytes, BlockBytes);
            float d = ReadHalf(b, 0);
            Simd.Scale32(Vector256.Create(b.Slice(2, 32)).AsSByte(), d, d, dst.Slice(i * BlockSize, BlockSize));
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
            float d = ReadHalf(b, 0);
            var qs = b.Slice(2, BlockSize);
            for (int j = 0; j < BlockSize; j++) y[j] = (sbyte)qs[j] * d;
        }
    }

    /// <summary>
    /// ggml's quantize_row_q8_0_ref (what llama-quantize writes): d = amax/127, code = x·(1/d) rounded half
    /// away from zero.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][34]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        for (int i = 0; i < nb; i++)
        {
            var x = src.Slice(i * BlockSize, BlockSize);
            var b = dst.Slice(i * BlockBytes, BlockBytes);
            float amax = 0f;
            for (int j = 0; j < BlockSize; j++)
            {
                float a = MathF.Abs(x[j]);
                amax = amax > a ? amax : a; // C's MAX macro, NaN behaviour included
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            WriteHalf(b, 0, d);
            for (int j = 0; j < BlockSize; j++)
                b[2 + j] = (byte)(sbyte)TruncateX86(MathF.Round(x[j] * id, MidpointRounding.AwayFromZero));
        }
    }

    /// <summary>
    /// The x86 (AVX2) activation conversion: d = amax/127 (stored fp16), code = x·(127/amax) rounded half to
    /// even, saturated to int8. Differs from <see cref="Quantize"/> on exact ties and in the scale used.
    /// </summary>
    public static void QuantizeActivations(ReadOnlySpan<float> src, Span<byte> dst) // src [blocks·32], dst [blocks][34]
    {
        int nb = src.Length / BlockSize;
        Debug.Assert(dst.Length == nb * BlockBytes);
        for (int i = 0; i < nb; i++)
            QuantizeActivationBlock(src.Slice(i * BlockSize, BlockSize), dst.Slice(i * BlockBytes, BlockBytes), 0, 2);
    }

    /// <summary>
    /// One 32-value block of the x86 Q8_0/Q8_1 activation conversion; writes d at <paramref name="dOffset"/>
    /// and the codes at <paramref name="qOffset"/>; returns d (fp32, before fp16 rounding) and the code sum.
    /// </summary>
    internal static (float D, int Sum) QuantizeActivationBlock(ReadOnlySpan<float> x, Span<byte> b, int dOffset, int qOffset)
    {
        float amax = 0f;
        for (int j = 0; j < BlockSize; j++) amax = MathF.Max(amax, MathF.Abs(x[j]));
        float d = amax / 127f;
        WriteHalf(b, dOffset, d);
        float id = amax != 0f ? 127f / amax : 0f;
        int sum = 0;
        for (int j = 0; j < BlockSize; j++)
        {
            sbyte q = SaturateToSByte(TruncateX86(MathF.Round(x[j] * id, MidpointRounding.ToEven)));
            b[qOffset + j] = (byte)q;
            sum += q;
        }
        return (d, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static sbyte SaturateToSByte(int v) => (sbyte)Math.Clamp(v, sbyte.MinValue, sbyte.MaxValue);
}

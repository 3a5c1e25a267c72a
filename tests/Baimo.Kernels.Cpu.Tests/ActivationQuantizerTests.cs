using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>The activation layout holds exactly the numbers of the codec's ggml blocks.</summary>
public unsafe class ActivationQuantizerTests
{
    public static IEnumerable<object[]> Formats =>
        new[] { WeightType.F16, WeightType.BF16, WeightType.Q8_0, WeightType.Q8_1, WeightType.Q8_K }.Select(t => new object[] { t });

    /// <summary>Random rows plus an all-zero block, exact .5 ties and a negative extreme.</summary>
    private static float[] Input(int tokens, int cols)
    {
        var x = TestData.Floats(new Random(11), tokens * cols);
        for (int j = 0; j < 256; j++) x[j] = 0f;
        x[256] = 127f;
        for (int j = 1; j < 32; j++) x[256 + j] = j - 0.5f; // x·127/amax lands exactly on .5
        x[600] = -40f;
        return x;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void MatchesTheCodec(WeightType format)
    {
        const int tokens = 3, cols = 768;
        var x = Input(tokens, cols);
        var codec = WeightCodecs.Get(format);
        int rowBytes = (int)codec.RowBytes(cols);
        var blocks = new byte[rowBytes * tokens];
        codec.QuantizeActivations(x, blocks);
        using var pool = new CpuThreadPool(2);
        using var buffer = new ActivationBuffer();
        fixed (float* px = x)
        {
            var a = buffer.Prepare(format, px, tokens, cols, pool);
            for (int t = 0; t < tokens; t++)
            {
                var b = blocks.AsSpan(t * rowBytes, rowBytes);
                switch (format)
                {
                    case WeightType.F16:
                        for (int c = 0; c < cols; c++) Assert.Equal(Fp16.ToSingle(BitConverter.ToUInt16(b[(2 * c)..])), a.F[t * cols + c]);
                        break;
                    case WeightType.BF16:
                        for (int c = 0; c < cols; c++) Assert.Equal(Bf16.ToSingle(BitConverter.ToUInt16(b[(2 * c)..])), a.F[t * cols + c]);
                        break;
                    case WeightType.Q8_0:
                    case WeightType.Q8_1:
                        int bb = format == WeightType.Q8_0 ? 34 : 36, qo = format == WeightType.Q8_0 ? 2 : 4;
                        for (int k = 0; k < cols / 32; k++)
                        {
                            var blk = b.Slice(k * bb, bb);
                            Assert.Equal(Fp16.ToSingle(BitConverter.ToUInt16(blk)), a.D[t * cols / 32 + k]);
                            if (format == WeightType.Q8_1) Assert.Equal(Fp16.ToSingle(BitConverter.ToUInt16(blk[2..])), a.S[t * cols / 32 + k]);
                            for (int j = 0; j < 32; j++) Assert.Equal((sbyte)blk[qo + j], a.Q[t * cols + 32 * k + j]);
                        }
                        break;
                    case WeightType.Q8_K:
                        for (int k = 0; k < cols / 256; k++)
                        {
                            var blk = b.Slice(k * 292, 292);
                            Assert.Equal(BitConverter.ToSingle(blk), a.D[t * cols / 256 + k]);
                            for (int j = 0; j < 256; j++) Assert.Equal((sbyte)blk[4 + j], a.Q[t * cols + 256 * k + j]);
                            for (int g = 0; g < 16; g++) Assert.Equal(BitConverter.ToInt16(blk[(260 + 2 * g)..]), a.BSums[t * cols / 16 + 16 * k + g]);
                        }
                        break;
                }
            }
        }
    }
}

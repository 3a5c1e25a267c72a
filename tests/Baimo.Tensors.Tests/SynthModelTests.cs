using Baimo.Formats.Gguf;
using Xunit.Abstractions;

namespace Baimo.Tensors.Tests;

/// <summary>
/// Every tensor of every synth-llama-&lt;TYPE&gt;.gguf: our dequantization stays within the type's error budget
/// of the F32 source, and our quantizers reproduce llama-quantize's bytes.
/// </summary>
public class SynthModelTests(SynthModel model, ITestOutputHelper output) : IClassFixture<SynthModel>
{
    /// <summary>
    /// Error budgets against the F32 source, per type: the worst tensor's RMS error relative to that
    /// tensor's RMS, and the worst row's max |error| relative to that row's max |x|. Set from the values
    /// measured on the 30 matrices of the model (in the comments) with about 25 % margin; the
    /// BrokenDecoding test shows that a mis-packed decode lands far outside them.
    /// </summary>
    public static readonly Dictionary<WeightType, (double Rms, double Max)> Budgets = new()
    {
        [WeightType.F16] = (2.7e-4, 6.1e-4),    // measured 2.11e-4, 4.85e-4
        [WeightType.BF16] = (2.1e-3, 4.9e-3),   // 1.68e-3, 3.88e-3
        [WeightType.Q8_0] = (6.8e-3, 5.4e-3),   // 5.41e-3, 4.27e-3
        [WeightType.Q4_0] = (0.11, 0.155),      // 0.0866, 0.124
        [WeightType.Q4_1] = (0.10, 0.084),      // 0.0788, 0.0669
        [WeightType.Q5_0] = (0.054, 0.078),     // 0.0431, 0.0618
        [WeightType.Q5_1] = (0.048, 0.041),     // 0.0382, 0.0326
        [WeightType.Q2_K] = (0.375, 0.52),      // 0.299, 0.414
        [WeightType.Q3_K] = (0.19, 0.315),      // 0.152, 0.252
        [WeightType.Q4_K] = (0.09, 0.137),      // 0.0718, 0.109
        [WeightType.Q5_K] = (0.046, 0.071),     // 0.0364, 0.0563
        [WeightType.Q6_K] = (0.023, 0.024),     // 0.0179, 0.0188
        [WeightType.IQ4_NL] = (0.096, 0.12),    // 0.0767, 0.0956
        [WeightType.IQ4_XS] = (0.097, 0.13),    // 0.0773, 0.104
    };

    public static TheoryData<string> Types() => new(SynthModel.QuantizedTypes);

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryTensorDequantizesWithinTheTypesBudget(string typeName)
    {
        var type = QuantRef.ParseType(typeName);
        using var f = GgufFile.Open(SynthModel.PathOf(typeName));
        Assert.Equal(model.F32.Count, f.Tensors.Count);
        double worstRms = 0, worstMax = 0;
        int quantized = 0;
        foreach (var t in f.Tensors)
        {
            var (shape, reference) = model.F32[t.Name];
            Assert.Equal(shape, t.Shape);
            // --pure stores every matrix in the one type; the 1-D norm weights stay F32.
            Assert.Equal(t.Shape.Length >= 2 ? type : WeightType.F32, t.Type);
            var codec = WeightCodecs.Get(t.Type, t.Name);
            var decoded = new float[t.ElementCount];
            codec.Dequantize(f.GetTensorData(t), decoded);
            var (rms, max) = Errors.Relative(reference, decoded, (int)t.Shape[0]);
            if (t.Type == WeightType.F32)
            {
                Assert.Equal(reference, decoded);
                continue;
            }
            quantized++;
            worstRms = Math.Max(worstRms, rms);
            worstMax = Math.Max(worstMax, max);
        }
        Assert.Equal(30, quantized);
        output.WriteLine($"{typeName}: worst tensor RMS error {worstRms:G3} of RMS, worst row max error {worstMax:G3} of max|x|");
        var budget = Budgets[type];
        Assert.True(worstRms <= budget.Rms, $"{typeName}: RMS error {worstRms:G3} exceeds the budget {budget.Rms}");
        Assert.True(worstMax <= budget.Max, $"{typeName}: max error {worstMax:G3} exceeds the budget {budget.Max}");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void SingleRowsOfTheEmbeddingTableDequantizeLikeTheWholeTensor(string typeName)
    {
        using var f = GgufFile.Open(SynthModel.PathOf(typeName));
        var t = f.GetTensor("token_embd.weight");
        var codec = WeightCodecs.Get(t.Type, t.Name);
        int cols = (int)t.Shape[0];
        var whole = new float[t.ElementCount];
        codec.Dequantize(f.GetTensorData(t), whole);
        var row = new float[cols];
        foreach (long r in new long[] { 0, 1, 257, t.Shape[1] - 1 })
        {
            codec.DequantizeRow(f.GetTensorData(t), r, cols, row);
            Assert.Equal(whole.AsSpan((int)(r * cols), cols).ToArray(), row);
        }
        Assert.Throws<ArgumentException>(() => codec.DequantizeRow(f.GetTensorData(t), t.Shape[1], cols, row));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void BrokenDecodingExceedsTheBudget(string typeName)
    {
        // Two classic codec bugs: swapping the two halves of every 32 values (nibble order, or Q6_K/Q5_K
        // bit-plane order) and, for the element types, swapping neighbours (a stride bug). Either must be
        // caught by the budget, or the budget proves nothing.
        var type = QuantRef.ParseType(typeName);
        using var f = GgufFile.Open(SynthModel.PathOf(typeName));
        var t = f.Tensors.First(t => t.Name == "blk.0.attn_q.weight");
        var decoded = new float[t.ElementCount];
        WeightCodecs.Get(t.Type, t.Name).Dequantize(f.GetTensorData(t), decoded);
        var reference = model.F32[t.Name].Data;
        Assert.True(Errors.Relative(reference, decoded, (int)t.Shape[0]).Rms <= Budgets[type].Rms);
        var broken = (float[])decoded.Clone();
        if (WeightLayout.Of(type).BlockSize == 1)
            for (int i = 0; i + 1 < broken.Length; i += 2) (broken[i], broken[i + 1]) = (broken[i + 1], broken[i]);
        else
            for (int b = 0; b < broken.Length; b += 32)
                for (int j = 0; j < 16; j++) (broken[b + j], broken[b + 16 + j]) = (broken[b + 16 + j], broken[b + j]);
        var (rms, max) = Errors.Relative(reference, broken, (int)t.Shape[0]);
        Assert.True(rms > Budgets[type].Rms && max > Budgets[type].Max, $"{typeName}: broken decode gives {rms:G3}, {max:G3}");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void QuantizingTheF32ModelReproducesLlamaQuantizeByteForByte(string typeName)
    {
        var type = QuantRef.ParseType(typeName);
        using var f = GgufFile.Open(SynthModel.PathOf(typeName));
        var codec = WeightCodecs.Get(type);
        int compared = 0;
        foreach (var t in f.Tensors.Where(t => t.Type == type))
        {
            var source = model.F32[t.Name].Data;
            var ours = new byte[t.ByteSize];
            codec.QuantizeRows(source, (int)t.Shape[0], ours);
            AssertBytes.Equal(f.GetTensorData(t), ours, codec.Layout.BytesPerBlock, $"{typeName} {t.Name}");
            compared++;
        }
        Assert.Equal(30, compared);
    }
}

internal static class Errors
{
    /// <summary>
    /// (RMS of the error / RMS of the reference, worst row's max |error| / that row's max |reference|) for
    /// row-major data with rows of <paramref name="columns"/>.
    /// </summary>
    public static (double Rms, double Max) Relative(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual, int columns)
    {
        double se = 0, sx = 0, worst = 0;
        for (int r = 0; r * columns < reference.Length; r++)
        {
            double rowMaxErr = 0, rowMax = 0;
            for (int c = 0; c < columns; c++)
            {
                int i = r * columns + c;
                double e = (double)actual[i] - reference[i];
                if (double.IsNaN(e)) return (double.PositiveInfinity, double.PositiveInfinity);
                se += e * e;
                sx += (double)reference[i] * reference[i];
                rowMaxErr = Math.Max(rowMaxErr, Math.Abs(e));
                rowMax = Math.Max(rowMax, Math.Abs(reference[i]));
            }
            worst = Math.Max(worst, rowMax > 0 ? rowMaxErr / rowMax : rowMaxErr);
        }
        return (sx > 0 ? Math.Sqrt(se / sx) : Math.Sqrt(se), worst);
    }
}

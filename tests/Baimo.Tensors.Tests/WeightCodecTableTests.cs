namespace Baimo.Tensors.Tests;

public class WeightCodecTableTests
{
    [Fact]
    public void TheRequiredTypesAreSupportedWithTheirLayouts()
    {
        WeightType[] required =
        [
            WeightType.F32, WeightType.F16, WeightType.BF16, WeightType.Q8_0, WeightType.Q4_0, WeightType.Q4_1, WeightType.Q5_0,
            WeightType.Q5_1, WeightType.Q2_K, WeightType.Q3_K, WeightType.Q4_K, WeightType.Q5_K, WeightType.Q6_K,
            WeightType.IQ4_NL, WeightType.IQ4_XS, WeightType.Q8_1, WeightType.Q8_K,
        ];
        Assert.Equal(required.Order(), WeightCodecs.Supported.Select(c => c.Type).Order());
        foreach (var c in WeightCodecs.Supported)
        {
            Assert.Equal(WeightLayout.Of(c.Type), c.Layout);
            Assert.True(c.CanQuantize);
            Assert.Same(c, WeightCodecs.Get(c.Type, "t"));
            Assert.True(WeightCodecs.IsSupported(c.Type));
        }
    }

    [Theory]
    // ggml-cpu's vec_dot_type of each weight type.
    [InlineData(WeightType.F32, WeightType.F32)]
    [InlineData(WeightType.F16, WeightType.F16)]
    [InlineData(WeightType.BF16, WeightType.BF16)]
    [InlineData(WeightType.Q4_0, WeightType.Q8_0)]
    [InlineData(WeightType.Q5_0, WeightType.Q8_0)]
    [InlineData(WeightType.Q8_0, WeightType.Q8_0)]
    [InlineData(WeightType.IQ4_NL, WeightType.Q8_0)]
    [InlineData(WeightType.Q4_1, WeightType.Q8_1)]
    [InlineData(WeightType.Q5_1, WeightType.Q8_1)]
    [InlineData(WeightType.Q2_K, WeightType.Q8_K)]
    [InlineData(WeightType.Q3_K, WeightType.Q8_K)]
    [InlineData(WeightType.Q4_K, WeightType.Q8_K)]
    [InlineData(WeightType.Q5_K, WeightType.Q8_K)]
    [InlineData(WeightType.Q6_K, WeightType.Q8_K)]
    [InlineData(WeightType.IQ4_XS, WeightType.Q8_K)]
    public void EachTypeNamesItsActivationFormat(WeightType weights, WeightType activations)
    {
        var codec = WeightCodecs.Get(weights);
        Assert.Equal(activations, codec.ActivationType);
        Assert.True(WeightCodecs.Get(codec.ActivationType).IsActivationFormat);
    }

    [Fact]
    public void AnUnsupportedTypeNamesTheTensorTheTypeAndTheAlternatives()
    {
        var ex = Assert.Throws<UnsupportedWeightTypeException>(() => WeightCodecs.Get(WeightType.IQ2_XXS, "blk.0.attn_q.weight"));
        Assert.Equal(WeightType.IQ2_XXS, ex.Type);
        Assert.Equal("blk.0.attn_q.weight", ex.TensorName);
        Assert.StartsWith("tensor 'blk.0.attn_q.weight' has weight type IQ2_XXS, which Baimo cannot compute with (supported: F32, F16, BF16, Q4_0,", ex.Message);
        Assert.Contains("IQ4_XS", ex.Message);
        Assert.False(WeightCodecs.TryGet(WeightType.IQ2_XXS, out _));
        Assert.IsAssignableFrom<NotSupportedException>(ex);
    }

    [Fact]
    public void AnUnknownTypeIdIsReportedByNumber()
    {
        var ex = Assert.Throws<UnsupportedWeightTypeException>(() => WeightCodecs.Get((WeightType)77, "output.weight"));
        Assert.Contains("tensor 'output.weight' has weight type id 77 (unknown to Baimo)", ex.Message);
        var noTensor = Assert.Throws<UnsupportedWeightTypeException>(() => WeightCodecs.Get(WeightType.TQ1_0));
        Assert.Null(noTensor.TensorName);
        Assert.StartsWith("weight type TQ1_0 is not one Baimo can compute with (supported: F32,", noTensor.Message);
    }

    [Fact]
    public void ActivationConversionOnlyExistsForActivationFormats()
    {
        var activation = WeightCodecs.Supported.Where(c => c.IsActivationFormat).Select(c => c.Type).Order();
        Assert.Equal(new[] { WeightType.F32, WeightType.F16, WeightType.Q8_0, WeightType.Q8_1, WeightType.Q8_K, WeightType.BF16 }.Order(), activation);
    }
}

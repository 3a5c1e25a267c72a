using Baimo.Formats.Gguf;
using Baimo.Models.Synthetic;
using Baimo.Tensors;

namespace Baimo.Models.Tests;

public sealed class SyntheticModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-synth").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData(WeightType.Q4_0)]
    [InlineData(WeightType.Q4_K)]
    [InlineData(WeightType.F16)]
    public void ASyntheticModelHasTheShapeAndTypeAndRuns(WeightType type)
    {
        var shape = SyntheticShape.Get("tiny");
        var path = SyntheticModelWriter.GetOrCreate(shape, type, _dir);
        using (var f = GgufFile.Open(path))
        {
            Assert.Equal(shape.Layers * 9 + 3, f.Tensors.Count);
            Assert.All(f.Tensors.Where(t => t.Shape.Length == 2), t => Assert.Equal(type, t.Type));
            Assert.Equal([shape.Embedding, shape.Vocab], f.GetTensor("token_embd.weight").Shape);
        }
        using var m = ModelRegistry.LoadDecoder(path);
        using var s = m.CreateSession(64, 2);
        var logits = s.Evaluate([1, 300, 301, 302]);
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void TheSameShapeAndTypeGiveTheSameBytes()
    {
        var shape = SyntheticShape.Get("stories-15m");
        var a = Path.Combine(_dir, "a.gguf");
        var b = Path.Combine(_dir, "b.gguf");
        SyntheticModelWriter.Write(shape, WeightType.Q8_0, a);
        SyntheticModelWriter.Write(shape, WeightType.Q8_0, b);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void QwenShapesHaveBiasesAndTiedOutput()
    {
        var shape = SyntheticShape.Get("qwen2.5-0.5b") with { Layers = 2, Vocab = 1000, Name = "qwen-test" };
        var path = Path.Combine(_dir, "q.gguf");
        SyntheticModelWriter.Write(shape, WeightType.Q8_0, path);
        using var m = ModelRegistry.LoadDecoder(path);
        Assert.Equal(DecoderFlavor.Qwen2, m.Flavor);
        Assert.Null(m.File.FindTensor("output.weight"));
        Assert.NotNull(m.File.FindTensor("blk.1.attn_k.bias"));
    }

    [Fact]
    public void AMixtureNameFollowsTheQuantizationRecipe()
    {
        var path = SyntheticModelWriter.GetOrCreate(SyntheticShape.Get("tiny"), "Q4_K_M", _dir);
        using var f = GgufFile.Open(path);
        Assert.Equal(WeightType.Q6_K, f.GetTensor("output.weight").Type);
        Assert.Equal(WeightType.Q4_K, f.GetTensor("blk.0.attn_q.weight").Type);
        Assert.Contains(f.Tensors, t => t.Name.Contains("ffn_down") && t.Type == WeightType.Q6_K);
        using var m = ModelRegistry.LoadDecoder(path);
        using var s = m.CreateSession(32, 2);
        Assert.All(s.Evaluate([1, 2, 3]), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ATypeByNameTakesTheFallbackWhereARowDoesNotFit()
    {
        // qwen2.5-0.5b: 896-wide rows cannot hold 256-value Q4_K blocks (Q5_0 instead, as llama-quantize does); the
        // 4864-wide feed-forward rows can.
        var shape = SyntheticShape.Get("qwen2.5-0.5b") with { Layers = 1, Vocab = 1000, Name = "qwen-fit" };
        var path = SyntheticModelWriter.GetOrCreate(shape, "Q4_K", _dir);
        using var f = GgufFile.Open(path);
        Assert.Equal(WeightType.Q5_0, f.GetTensor("blk.0.attn_q.weight").Type);
        Assert.Equal(WeightType.Q4_K, f.GetTensor("blk.0.ffn_down.weight").Type);
    }

    [Fact]
    public void AShapeThatDoesNotFitTheBlockSizeIsRefused() =>
        Assert.Contains("288", Assert.Throws<ArgumentException>(() =>
            SyntheticModelWriter.Write(SyntheticShape.Get("stories-15m"), WeightType.Q4_K, Path.Combine(_dir, "x.gguf"))).Message);

    [Fact]
    public void UnknownShapeListsTheKnownOnes() =>
        Assert.Contains("tinyllama-1.1b", Assert.Throws<ArgumentException>(() => SyntheticShape.Get("nope")).Message);
}

using Baimo.AI;
using Baimo.Models;
using Baimo.Testing;
using Microsoft.Extensions.AI;

namespace Baimo.AI.Tests.ChatClient;

public sealed class EncoderFixture : IDisposable
{
    public EncoderModel Model { get; } = ModelRegistry.LoadEncoder(Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf"));
    public void Dispose() => Model.Dispose();
}

public class BaimoEmbeddingGeneratorTests(EncoderFixture fixture) : IClassFixture<EncoderFixture>
{
    [Fact]
    public async Task EachTextGetsTheModelsNormalisedEmbedding()
    {
        using var generator = new BaimoEmbeddingGenerator(fixture.Model);
        IEmbeddingGenerator<string, Embedding<float>> g = generator;
        var result = await g.GenerateAsync(["hello world", "another text"]);
        Assert.Equal(2, result.Count);
        var expected = fixture.Model.Embed("hello world");
        Assert.Equal(expected, result[0].Vector.ToArray());
        Assert.Equal(1.0, Math.Sqrt(result[1].Vector.ToArray().Sum(x => (double)x * x)), 4);
        Assert.Equal("synth-bert-F32", result[0].ModelId);
        Assert.True(result.Usage!.InputTokenCount >= 4);
    }

    [Fact]
    public async Task MetadataAndDimensions()
    {
        using var generator = new BaimoEmbeddingGenerator(fixture.Model, "bert");
        var meta = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal("bert", meta!.DefaultModelId);
        Assert.Equal(fixture.Model.Config.EmbeddingLength, meta.DefaultModelDimensions);
        Assert.Same(generator, generator.GetService<BaimoEmbeddingGenerator>());
        Assert.Null(generator.GetService<BaimoEmbeddingGenerator>("key"));
        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 3 }));
        var one = await generator.GenerateVectorAsync("single");
        Assert.Equal(fixture.Model.Config.EmbeddingLength, one.Length);
    }

    [Fact]
    public async Task ConcurrentCallersGetTheSameResultsAsSequentialOnes()
    {
        using var generator = new BaimoEmbeddingGenerator(fixture.Model);
        var texts = Enumerable.Range(0, 6).Select(i => $"text number {i}").ToArray();
        var parallel = await Task.WhenAll(texts.Select(t => generator.GenerateAsync([t])));
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(fixture.Model.Embed(texts[i]), parallel[i][0].Vector.ToArray());
    }
}

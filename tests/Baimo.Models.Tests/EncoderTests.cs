using System.Text.Json;
using Baimo.Testing;

namespace Baimo.Models.Tests;

public class EncoderTests
{
    [Theory]
    [InlineData("cls", PoolingType.Cls)]
    [InlineData("mean", PoolingType.Mean)]
    public void SentenceEmbeddingsMatchTheReference(string name, PoolingType pooling)
    {
        var json = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "synth-bert", "synth-bert.ref.json"))).RootElement;
        var reference = Reference.ReadFloats(Oracle.Path("models", "synth-bert", $"synth-bert.emb-{name}.bin"));
        using var model = ModelRegistry.LoadEncoder(Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf"));
        int i = 0;
        var langs = new HashSet<string>();
        foreach (var item in json.GetProperty("items").EnumerateArray())
        {
            var ids = item.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(ids, model.Tokenizer.Encode(item.GetProperty("text").GetString()!, addSpecial: true));
            var emb = model.Embed(ids, pooling);
            var expected = reference.AsSpan(i * 128, 128);
            double dot = 0, na = 0, nb = 0;
            for (int k = 0; k < 128; k++) { dot += emb[k] * (double)expected[k]; na += emb[k] * (double)emb[k]; nb += expected[k] * (double)expected[k]; }
            double cosine = dot / Math.Sqrt(na * nb);
            Assert.True(cosine >= 0.9999, $"item {i} ({item.GetProperty("lang")}): cosine {cosine}");
            Assert.True(Metrics.MaxAbs(emb, expected) < 1e-4);
            langs.Add(item.GetProperty("lang").GetString()!);
            i++;
        }
        Assert.Equal(6, i);
        Assert.Contains("zh", langs);
        Assert.Contains("en", langs);
    }

    [Fact]
    public void DefaultPoolingComesFromTheFile()
    {
        using var model = ModelRegistry.LoadEncoder(Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf"));
        Assert.Equal(PoolingType.Cls, model.Config.Pooling);
        Assert.Equal(model.Embed("hello", PoolingType.Cls), model.Embed("hello"));
    }
}

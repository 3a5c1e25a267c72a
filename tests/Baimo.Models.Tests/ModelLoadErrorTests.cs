using Baimo.Formats.Gguf;
using Baimo.Testing;

namespace Baimo.Models.Tests;

/// <summary>Files that cannot be run are refused with an error that says exactly why.</summary>
public sealed class ModelLoadErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-load").FullName;
    private static readonly string Source = Oracle.Path("models", "synth-llama", "synth-llama-Q8_0.gguf");

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A copy of the source model with some metadata changed and some tensors left out.</summary>
    private string Variant(Action<GgufMetadata> edit, params string[] dropTensors)
    {
        using var src = GgufFile.Open(Source);
        var w = new GgufWriter();
        foreach (var (k, v) in src.Metadata) w.Metadata.Set(k, v);
        edit(w.Metadata);
        foreach (var t in src.Tensors)
            if (!dropTensors.Contains(t.Name)) w.AddTensor(t.Name, t.Type, t.Shape, src.GetTensorData(t).ToArray());
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.gguf");
        w.Write(path);
        return path;
    }

    [Fact]
    public void UnknownArchitectureNamesItAndTheSupportedOnes()
    {
        var e = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(Variant(m => m.Set("general.architecture", "gptj"))));
        Assert.Contains("'gptj'", e.Message);
        Assert.Contains("llama", e.Message);
        Assert.Contains("qwen2", e.Message);
    }

    [Fact]
    public void EveryMissingTensorIsListed()
    {
        var e = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(Variant(_ => { }, "blk.1.ffn_up.weight", "output_norm.weight", "blk.3.attn_k.weight")));
        Assert.Contains("blk.1.ffn_up.weight", e.Message);
        Assert.Contains("output_norm.weight", e.Message);
        Assert.Contains("blk.3.attn_k.weight", e.Message);
    }

    [Fact]
    public void MissingHyperParametersAreListed()
    {
        var e = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(Variant(m =>
        {
            m.Remove("llama.embedding_length");
            m.Remove("llama.block_count");
        })));
        Assert.Contains("llama.embedding_length", e.Message);
        Assert.Contains("llama.block_count", e.Message);
    }

    [Fact]
    public void AShapeThatDisagreesWithTheMetadataIsNamed()
    {
        var e = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(Variant(m => m.Set("llama.feed_forward_length", 512u))));
        Assert.Contains("blk.0.ffn_gate.weight", e.Message);
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void QwenWithoutBiasesIsRefused()
    {
        var qwen = Oracle.Path("models", "synth-qwen2", "synth-qwen2-F32.gguf");
        using var src = GgufFile.Open(qwen);
        var w = new GgufWriter();
        foreach (var (k, v) in src.Metadata) w.Metadata.Set(k, v);
        foreach (var t in src.Tensors)
            if (t.Name != "blk.0.attn_q.bias") w.AddTensor(t.Name, t.Type, t.Shape, src.GetTensorData(t).ToArray());
        var path = Path.Combine(_dir, "qwen.gguf");
        w.Write(path);
        var e = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(path));
        Assert.Contains("blk.0.attn_q.bias", e.Message);
    }

    [Fact]
    public void AnUnsupportedWeightTypeNamesTheTensorAndTheType()
    {
        using var src = GgufFile.Open(Source);
        var w = new GgufWriter();
        foreach (var (k, v) in src.Metadata) w.Metadata.Set(k, v);
        foreach (var t in src.Tensors)
        {
            if (t.Name == "blk.2.ffn_down.weight")
            {
                // Same element count stored as IQ2_XXS (66 bytes per 256 weights), which Baimo cannot compute with.
                var layout = Baimo.Tensors.WeightLayout.Of(Baimo.Tensors.WeightType.IQ2_XXS);
                w.AddTensor(t.Name, Baimo.Tensors.WeightType.IQ2_XXS, t.Shape, new byte[layout.ByteCount(t.ElementCount)]);
            }
            else w.AddTensor(t.Name, t.Type, t.Shape, src.GetTensorData(t).ToArray());
        }
        var path = Path.Combine(_dir, "iq2.gguf");
        w.Write(path);
        var e = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(path));
        Assert.Contains("blk.2.ffn_down.weight", e.Message);
        Assert.Contains("IQ2_XXS", e.Message);
    }

    [Fact]
    public void TheWrongKindOfModelForTheJobIsAClearError()
    {
        Assert.Contains("embedding model", Assert.Throws<ModelLoadException>(() =>
            ModelRegistry.LoadDecoder(Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf"))).Message);
        Assert.Contains("not an embedding model", Assert.Throws<ModelLoadException>(() => ModelRegistry.LoadEncoder(Source)).Message);
    }

    [Fact]
    public void OutOfVocabularyIdsAndAFullContextAreRejectedBeforeAnyWork()
    {
        using var m = ModelRegistry.LoadDecoder(Source);
        using var s = m.CreateSession(contextLength: 8, threads: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Evaluate([1, 99999]));
        Assert.Equal(0, s.Position);
        Assert.Throws<ContextFullException>(() => s.Evaluate(new int[9]));
        Assert.Equal(0, s.Position);
    }
}

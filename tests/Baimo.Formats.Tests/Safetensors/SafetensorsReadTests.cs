using Baimo.Formats.Gguf;
using Baimo.Formats.Safetensors;
using Baimo.Tensors;
using Baimo.Testing;

namespace Baimo.Formats.Tests.Safetensors;

public sealed class SafetensorsReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-st").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadsTheStoriesCheckpointWithoutCopying()
    {
        using var f = SafetensorsFile.Open(Oracle.Path("models", "stories260K-hf", "model.safetensors"));
        Assert.Equal(47, f.Tensors.Count); // tied embeddings: no lm_head.weight
        Assert.Equal("pt", f.Metadata["format"]);
        Assert.Equal(8 + 4856, f.DataOffset);
        var embed = f.FindTensor("model.embed_tokens.weight")!;
        Assert.Equal("F32", embed.DType);
        Assert.Equal(WeightType.F32, embed.WeightType);
        Assert.Equal(new long[] { 512, 64 }, embed.Shape);
        Assert.Equal(512 * 64 * 4, embed.ByteSize);
        Assert.Equal(292_800 - 512 * 64, f.Tensors.Sum(t => t.ElementCount)); // the GGUF's count less its copy of the output

        // The embedding is the GGUF's token_embd byte for byte (it has no rotary reordering).
        using var g = GgufFile.Open(Oracle.Path("models", "stories260K.gguf"));
        Assert.True(f.GetTensorData(embed).SequenceEqual(g.GetTensorData(g.GetTensor("token_embd.weight"))));
        // Layer norms too; q/k differ, being in the other rotary order.
        var norm = f.FindTensor("model.layers.3.post_attention_layernorm.weight")!;
        Assert.True(f.GetTensorData(norm).SequenceEqual(g.GetTensorData(g.GetTensor("blk.3.ffn_norm.weight"))));
        var q = f.FindTensor("model.layers.0.self_attn.q_proj.weight")!;
        Assert.False(f.GetTensorData(q).SequenceEqual(g.GetTensorData(g.GetTensor("blk.0.attn_q.weight"))));
    }

    [Fact]
    public void WrittenFilesReadBackWithEveryDType()
    {
        var w = SafetensorsSamples.Sample();
        var path = Path.Combine(_dir, "s.safetensors");
        w.Write(path);
        using var f = SafetensorsFile.Open(path);
        Assert.Equal(0, f.DataOffset % 8); // padded header keeps the data aligned
        Assert.Equal(["a.weight", "b.weight", "c.bias", "position_ids"], f.Tensors.Select(t => t.Name));
        Assert.Equal([WeightType.F32, WeightType.F16, WeightType.BF16], f.Tensors.Take(3).Select(t => t.WeightType));
        Assert.Equal(new long[] { 6 }, f.FindTensor("c.bias")!.Shape);
        var src = SafetensorsSamples.Sample();
        Assert.True(f.GetTensorData(f.FindTensor("b.weight")!).SequenceEqual(src.ToArray().AsSpan((int)(f.DataOffset + 64), 32)));
    }

    [Fact]
    public void AnIntegerTensorIsReadableButNamedWhenUsedAsAWeight()
    {
        var path = Path.Combine(_dir, "i.safetensors");
        SafetensorsSamples.Sample().Write(path);
        using var f = SafetensorsFile.Open(path);
        var ids = f.FindTensor("position_ids")!;
        Assert.Equal(24, f.GetTensorData(ids).Length);
        var e = Assert.Throws<NotSupportedException>(() => ids.WeightType);
        Assert.Contains("'position_ids'", e.Message);
        Assert.Contains("I64", e.Message);
    }

    [Fact]
    public void ShardedCheckpointsAreFoundThroughTheIndex()
    {
        var rnd = new Random(1);
        var a = new SafetensorsWriter();
        a.Add("x", "F32", [4], SafetensorsSamples.Floats(rnd, 4));
        a.Write(Path.Combine(_dir, "model-00001-of-00002.safetensors"));
        var b = new SafetensorsWriter();
        b.Add("y", "F16", [2, 2], SafetensorsSamples.Bytes(rnd, 8));
        b.Add("z", "BF16", [3], SafetensorsSamples.Bytes(rnd, 6));
        b.Write(Path.Combine(_dir, "model-00002-of-00002.safetensors"));
        WriteIndex("""{"metadata": {"total_size": 26}, "weight_map": {"x": "model-00001-of-00002.safetensors", "y": "model-00002-of-00002.safetensors", "z": "model-00002-of-00002.safetensors"}}""");

        using var c = SafetensorsCheckpoint.Open(_dir);
        Assert.Equal(2, c.Shards.Count);
        Assert.Equal(["x", "y", "z"], c.Tensors.Select(t => t.Name).Order());
        Assert.Equal("BF16", c.FindTensor("z")!.DType);
        Assert.Null(c.FindTensor("w"));
        unsafe { Assert.True(c.GetTensorPointer("y") != null); }
    }

    [Fact]
    public void IndexProblemsAreNamed()
    {
        var w = new SafetensorsWriter();
        w.Add("x", "F32", [1], new byte[4]);
        w.Write(Path.Combine(_dir, "one.safetensors"));

        WriteIndex("""{"weight_map": {"x": "two.safetensors"}}""");
        Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Open(_dir));

        WriteIndex("""{"weight_map": {"x": "../one.safetensors"}}""");
        Assert.Equal("weight_map[x]", Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_dir)).Field);

        WriteIndex("""{"weight_map": {"x": "one.safetensors", "q": "one.safetensors"}}""");
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_dir));
        Assert.Equal("weight_map[q]", e.Field);

        WriteIndex("""{"weight_map": {"x": "one.safetensors",""");
        Assert.Equal("index", Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_dir)).Field);

        WriteIndex("""{"metadata": {}}""");
        Assert.Equal("weight_map", Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_dir)).Field);
    }

    [Fact]
    public void WithoutAnIndexEveryShardIsReadAndDuplicatesAreRefused()
    {
        var a = new SafetensorsWriter();
        a.Add("x", "F32", [1], new byte[4]);
        a.Write(Path.Combine(_dir, "a.safetensors"));
        var b = new SafetensorsWriter();
        b.Add("y", "F32", [1], new byte[4]);
        b.Write(Path.Combine(_dir, "b.safetensors"));
        using (var c = SafetensorsCheckpoint.Open(_dir)) Assert.Equal(2, c.Tensors.Count());

        var dup = new SafetensorsWriter();
        dup.Add("x", "F32", [1], new byte[4]);
        dup.Write(Path.Combine(_dir, "c.safetensors"));
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_dir));
        Assert.Contains("'x' appears in both a.safetensors and c.safetensors", e.Message);
    }

    [Fact]
    public void AnEmptyDirectoryHasNoWeights() =>
        Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Open(_dir));

    private void WriteIndex(string json) => File.WriteAllText(Path.Combine(_dir, SafetensorsCheckpoint.IndexFileName), json);
}

using Baimo.Formats.Gguf;
using Baimo.Tensors;
using Baimo.Testing;

namespace Baimo.Formats.Tests;

public class GgufReadTests
{
    [Fact]
    public void ReadsStories260KHeader()
    {
        using var f = GgufFile.Open(Oracle.Path("models", "stories260K.gguf"));
        Assert.Equal(3u, f.Version);
        Assert.Equal("llama", f.Metadata.GetString("general.architecture"));
        Assert.Equal(64, f.Metadata.GetInt("llama.embedding_length"));
        var tokens = Assert.IsType<string[]>(f.Metadata.GetArray("tokenizer.ggml.tokens"));
        Assert.Equal(512, tokens.Length);
        Assert.Equal("<unk>", tokens[0]);
        var emb = f.GetTensor("token_embd.weight");
        Assert.Equal(new long[] { 64, 512 }, emb.Shape);
        Assert.Equal(0, f.DataOffset % f.Alignment);
    }

    [Theory]
    [MemberData(nameof(OracleFiles.AllGgufData), MemberType = typeof(OracleFiles))]
    public void EveryOracleFileParsesAndTensorsTileTheDataSection(string relative)
    {
        using var f = GgufFile.Open(Oracle.Path(relative));
        Assert.NotEmpty(f.Metadata);
        long end = 0;
        foreach (var t in f.Tensors.OrderBy(t => t.Offset))
        {
            Assert.True(t.Offset >= end, $"{t.Name} overlaps the previous tensor");
            Assert.Equal(WeightLayout.Of(t.Type).ByteCount(t.ElementCount), t.ByteSize);
            end = t.Offset + t.ByteSize;
        }
        Assert.True(f.DataOffset + end <= f.FileSize);
    }

    [Fact]
    public void TensorDataIsMappedNotCopied()
    {
        using var f = GgufFile.Open(Oracle.Path("models", "synth-llama", "synth-llama-F32.gguf"));
        var t = f.GetTensor("blk.0.attn_q.weight");
        var a = f.GetTensorData<float>(t);
        var b = f.GetTensorData<float>(t);
        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            {
                Assert.True(pa == pb, "two reads of one tensor must view the same mapped memory");
                Assert.True((byte*)pa == f.GetTensorPointer(t));
            }
        }
        // quant-ref.json's F32 rows are the first 8 rows of this tensor; spot-check the first value's bytes.
        var raw = File.ReadAllBytes(Oracle.Path("models", "synth-llama", "quant-ref", "F32.attn_q.rows0-7.f32.bin"));
        Assert.Equal(BitConverter.ToSingle(raw, 0), a[0]);
        Assert.Equal(BitConverter.ToSingle(raw, 4 * 300), a[300]);
    }
}

using System.Text.Json;
using Baimo.Testing;

namespace Baimo.Cli.Tests;

public class InspectCommandTests
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");

    [Fact]
    public void TextReportShowsSizeParametersMetadataAndTensors()
    {
        var (code, o, e) = CliRunner.Run("inspect", Stories);
        Assert.Equal(0, code);
        Assert.Equal("", e);
        Assert.Contains("1,185,376 bytes", o);
        Assert.Contains("292,800", o);          // parameter count
        Assert.Contains("F32: 48", o);
        Assert.Contains("llama.block_count", o);
        Assert.Matches(@"blk\.4\.ffn_down\.weight\s+F32\s+\[64, 172\]\s+44032", o);
        Assert.Contains("[string × 512] \"<unk>\", \"<s>\"", o);
    }

    [Fact]
    public void JsonReportIsOneCompleteObject()
    {
        var (code, o, _) = CliRunner.Run("inspect", Stories, "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(o);
        var root = doc.RootElement;
        Assert.Equal(292800, root.GetProperty("parameter_count").GetInt64());
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        Assert.Equal("llama", root.GetProperty("architecture").GetString());
        Assert.Equal(48, root.GetProperty("tensors").GetArrayLength());
        var emb = root.GetProperty("tensors").EnumerateArray().First(t => t.GetProperty("name").GetString() == "token_embd.weight");
        Assert.Equal([64, 512], emb.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(5, root.GetProperty("metadata").GetProperty("llama.block_count").GetInt32());
        var tokens = root.GetProperty("metadata").GetProperty("tokenizer.ggml.tokens");
        Assert.Equal(512, tokens.GetProperty("length").GetInt32());

        var (_, full, _) = CliRunner.Run("inspect", Stories, "--json", "--full");
        using var fullDoc = JsonDocument.Parse(full);
        Assert.Equal(512, fullDoc.RootElement.GetProperty("metadata").GetProperty("tokenizer.ggml.tokens").GetArrayLength());
    }

    [Fact]
    public void MalformedFileIsOneLineNamingFieldAndOffset()
    {
        var bad = Path.GetTempFileName();
        try
        {
            var bytes = File.ReadAllBytes(Stories)[..5000];
            File.WriteAllBytes(bad, bytes);
            var (code, o, e) = CliRunner.Run("inspect", bad);
            Assert.Equal(1, code);
            Assert.Equal("", o);
            Assert.StartsWith("baimo: error: ", e);
            Assert.Contains("byte offset", e);
            Assert.Single(e.TrimEnd('\n').Split('\n'));
        }
        finally { File.Delete(bad); }
    }

    [Fact]
    public void MissingFileIsARuntimeError()
    {
        var (code, _, e) = CliRunner.Run("inspect", "/nonexistent/model.gguf");
        Assert.Equal(1, code);
        Assert.Contains("not found", e);
    }
}

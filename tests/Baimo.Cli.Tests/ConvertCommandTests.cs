using System.Runtime.InteropServices;
using System.Text.Json;
using Baimo.Formats.Gguf;
using Baimo.Formats.Safetensors;
using Baimo.Testing;

namespace Baimo.Cli.Tests;

public sealed class ConvertCommandTests : IDisposable
{
    private static readonly string StoriesHf = Oracle.Path("models", "stories260K-hf");
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-convert").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Out(string name) => Path.Combine(_dir, name);

    [Fact]
    public void ConvertsToTheRequestedTypeAndPrintsASummary()
    {
        var output = Out("s.gguf");
        var (code, o, e) = CliRunner.Run("convert", StoriesHf, output, "--type", "Q8_0", "-t", "2");
        Assert.True(code == 0, e);
        Assert.Matches(@"^stories260K-hf \(1\.00 MiB\) -> s\.gguf \(0\.\d\d MiB\) as Q8_0 in \d+\.\d s\n$", o.ReplaceLineEndings("\n"));
        Assert.Contains("[ 1/47] output_norm.weight", e);
        Assert.Contains("[47/47] blk.4.ffn_up.weight", e);
        using var f = GgufFile.Open(output);
        Assert.Equal(7L, f.Metadata.GetInt("general.file_type"));
        Assert.Equal("llama", f.Metadata.GetString("general.architecture"));
        Assert.Equal(new[] { output }, Directory.GetFiles(_dir)); // no temporary file left behind
    }

    [Fact]
    public void TheDefaultKeepsF32AndBothFormsGiveTheSameLogits()
    {
        var output = Out("s32.gguf");
        var (code, o, e) = CliRunner.Run("convert", StoriesHf, output);
        Assert.True(code == 0, e);
        Assert.Contains(" as F32 in ", o);

        var reference = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "stories260K.ref.json"))).RootElement;
        var ids = string.Join(' ', reference.GetProperty("sequence_ids").EnumerateArray().Select(x => x.GetInt32()));
        float[] Logits(string model, string name)
        {
            var path = Out(name);
            var (c, _, err) = CliRunner.Run("logits", "-m", model, "--ids", ids, "--out", path, "-t", "2");
            Assert.True(c == 0, err);
            return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
        }
        var direct = Logits(StoriesHf, "direct.bin");
        var converted = Logits(output, "converted.bin");
        var oracle = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Oracle.Path("models", "stories260K.logits.bin"))).ToArray();
        Assert.Equal(oracle.Length, direct.Length);
        for (int i = 0; i < oracle.Length; i++)
        {
            Assert.True(Math.Abs(direct[i] - oracle[i]) < 1e-4, $"direct logit {i}");
            Assert.True(Math.Abs(converted[i] - oracle[i]) < 1e-4, $"converted logit {i}");
        }
    }

    [Fact]
    public void TheTokenizerTravelsIntoTheFile()
    {
        // A tiny Qwen2 (hidden size 8) with the real Qwen3 tokenizer files beside it.
        var hf = Path.Combine(_dir, "tiny-qwen");
        Directory.CreateDirectory(hf);
        foreach (var f in new[] { "tokenizer.json", "tokenizer_config.json" })
            File.Copy(Oracle.Path("tokenizers", "hf", "qwen3", f), Path.Combine(hf, f));
        const int V = 151936, E = 8, F = 16;
        File.WriteAllText(Path.Combine(hf, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["architectures"] = new[] { "Qwen2ForCausalLM" }, ["model_type"] = "qwen2", ["hidden_size"] = E, ["intermediate_size"] = F,
            ["num_hidden_layers"] = 1, ["num_attention_heads"] = 2, ["num_key_value_heads"] = 1, ["vocab_size"] = V,
            ["rms_norm_eps"] = 1e-6, ["rope_theta"] = 1e6, ["max_position_embeddings"] = 64, ["tie_word_embeddings"] = true,
            ["bos_token_id"] = 151643, ["eos_token_id"] = 151645,
        }));
        var rnd = new Random(5);
        byte[] Random(long n) => MemoryMarshal.AsBytes(Enumerable.Range(0, (int)n).Select(_ => (float)(rnd.NextDouble() - 0.5)).ToArray().AsSpan()).ToArray();
        var w = new SafetensorsWriter();
        w.Add("model.embed_tokens.weight", "F32", [V, E], Random((long)V * E));
        foreach (var (name, shape) in new (string, long[])[]
                 {
                     ("input_layernorm.weight", [E]), ("self_attn.q_proj.weight", [E, E]), ("self_attn.k_proj.weight", [4, E]),
                     ("self_attn.v_proj.weight", [4, E]), ("self_attn.q_proj.bias", [E]), ("self_attn.k_proj.bias", [4]),
                     ("self_attn.v_proj.bias", [4]), ("self_attn.o_proj.weight", [E, E]), ("post_attention_layernorm.weight", [E]),
                     ("mlp.gate_proj.weight", [F, E]), ("mlp.up_proj.weight", [F, E]), ("mlp.down_proj.weight", [E, F]),
                 })
            w.Add("model.layers.0." + name, "F32", shape, Random(shape.Aggregate(1L, (a, b) => a * b)));
        w.Add("model.norm.weight", "F32", [E], Random(E));
        w.Write(Path.Combine(hf, "model.safetensors"));

        var output = Out("tiny.gguf");
        var (code, _, e) = CliRunner.Run("convert", hf, output, "-t", "2");
        Assert.True(code == 0, e);
        using (var f = GgufFile.Open(output))
        {
            Assert.Equal("qwen2", f.Metadata.GetString("tokenizer.ggml.pre"));
            Assert.Equal(V, f.Metadata.GetArray("tokenizer.ggml.tokens")!.Length);
            Assert.Equal(151645L, f.Metadata.GetInt("tokenizer.ggml.eos_token_id"));
            Assert.StartsWith("{%- if tools %}", f.Metadata.GetString("tokenizer.chat_template"));
        }

        // The directory and the converted file tokenize alike, and the file generates from text.
        const string text = "Hello 世界, <|im_start|>user";
        var fromDir = CliRunner.Run("tokenize", "-m", hf, "--text", text, "--ids");
        var fromFile = CliRunner.Run("tokenize", "-m", output, "--text", text, "--ids");
        Assert.Equal(0, fromDir.Code);
        Assert.Equal(fromDir.Out, fromFile.Out);
        var run = CliRunner.Run("run", "-m", output, "-p", "Hello", "-n", "3", "--temp", "0", "--json");
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal(3, JsonDocument.Parse(run.Out).RootElement.GetProperty("ids").GetArrayLength());
    }

    [Fact]
    public void HelpAndUsageErrors()
    {
        var (code, o, _) = CliRunner.Run("convert", "--help");
        Assert.Equal(0, code);
        Assert.Contains("HFDIR", o);
        Assert.Contains("--type", o);

        Assert.Equal(2, CliRunner.Run("convert", StoriesHf).Code);                                   // OUT missing
        var bad = CliRunner.Run("convert", StoriesHf, Out("x.gguf"), "--type", "Q7_K");
        Assert.Equal(2, bad.Code);
        Assert.Contains("unknown --type 'Q7_K'", bad.Err);
        var file = CliRunner.Run("convert", Oracle.Path("models", "stories260K.gguf"), Out("x.gguf"));
        Assert.Equal(2, file.Code);
        Assert.Contains("baimo quantize", file.Err);
        Assert.Equal(2, CliRunner.Run("convert", StoriesHf, _dir).Code);                              // OUT is a directory
        Assert.Empty(Directory.GetFiles(_dir));

        var inspect = CliRunner.Run("inspect", StoriesHf);
        Assert.Equal(2, inspect.Code);
        Assert.Contains("baimo convert", inspect.Err);
    }

    [Fact]
    public void MissingOrBrokenCheckpointsAreRuntimeErrors()
    {
        var (code, _, e) = CliRunner.Run("convert", Out("none"), Out("x.gguf"));
        Assert.Equal(1, code);
        Assert.Contains("not found", e);

        var broken = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(broken);
        File.Copy(Path.Combine(StoriesHf, "config.json"), Path.Combine(broken, "config.json"));
        var bytes = File.ReadAllBytes(Path.Combine(StoriesHf, "model.safetensors"));
        File.WriteAllBytes(Path.Combine(broken, "model.safetensors"), bytes[..^100]);
        (code, _, e) = CliRunner.Run("convert", broken, Out("x.gguf"));
        Assert.Equal(1, code);
        Assert.Contains("data_offsets", e);
        Assert.False(File.Exists(Out("x.gguf")));
    }

    [Fact]
    public void ADirectoryWithoutConfigIsAUsageErrorForModelCommands()
    {
        var (code, _, e) = CliRunner.Run("logits", "-m", _dir, "--ids", "1", "--out", Out("l.bin"));
        Assert.Equal(2, code);
        Assert.Contains("without config.json", e);
    }
}

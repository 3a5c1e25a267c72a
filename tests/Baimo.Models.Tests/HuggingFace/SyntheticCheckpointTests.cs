using Baimo.Formats.Gguf;
using Baimo.Models.HuggingFace;
using Baimo.Models.Quantization;
using Baimo.Tensors;
using Xunit.Abstractions;

namespace Baimo.Models.Tests.HuggingFace;

/// <summary>
/// Checkpoints written by the tests: the oracle's random Qwen2 re-expressed in Hugging Face form must give
/// llama.cpp's logits, and random Qwen2 (BF16, biases, tied) and Mistral (F16, GQA, explicit head_dim,
/// separate lm_head) checkpoints must agree with the GGUF files they convert to.
/// </summary>
public sealed class SyntheticCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-hf").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheOracleQwen2AsACheckpointGivesTheReferenceLogits()
    {
        var r = Reference.Load("models", "synth-qwen2", "synth-qwen2-F32.ref.json");
        var b = new CheckpointBuilder();
        using (var g = GgufFile.Open(r.ModelPath))
        {
            var md = g.Metadata;
            b.Config["architectures"] = new[] { "Qwen2ForCausalLM" };
            b.Config["model_type"] = "qwen2";
            b.Config["hidden_size"] = md.GetInt("qwen2.embedding_length")!;
            b.Config["intermediate_size"] = md.GetInt("qwen2.feed_forward_length")!;
            b.Config["num_hidden_layers"] = md.GetInt("qwen2.block_count")!;
            b.Config["num_attention_heads"] = md.GetInt("qwen2.attention.head_count")!;
            b.Config["num_key_value_heads"] = md.GetInt("qwen2.attention.head_count_kv")!;
            b.Config["rope_theta"] = md.GetFloat("qwen2.rope.freq_base")!;
            b.Config["rms_norm_eps"] = md.GetFloat("qwen2.attention.layer_norm_rms_epsilon")!;
            b.Config["max_position_embeddings"] = md.GetInt("qwen2.context_length")!;
            b.Config["vocab_size"] = r.Vocab;
            b.Config["tie_word_embeddings"] = true;
            // Qwen2 uses half-split rotary in both formats, so the rows are copied unchanged.
            foreach (var t in g.Tensors)
                b.Weights.Add(HuggingFaceTensorNames.FromGguf(t.Name) ?? throw new InvalidOperationException(t.Name), "F32",
                    t.Shape.Reverse().ToArray(), g.GetTensorData(t).ToArray());
        }
        var dir = Path.Combine(_dir, "qwen2");
        b.Write(dir);

        using var model = ModelRegistry.LoadDecoder(dir);
        Assert.Equal(DecoderFlavor.Qwen2, model.Flavor);
        Assert.Equal(1e6f, model.Config.RopeFreqBase);
        var ids = r.Ids("input_ids");
        var logits = Evaluate(model, ids);
        double nmse = Metrics.Nmse(logits, r.Logits);
        output.WriteLine($"synth-qwen2 as a checkpoint: NMSE {nmse:E2}, max |Δ| {Metrics.MaxAbs(logits, r.Logits):E2}");
        Assert.True(nmse <= 1e-8, $"NMSE {nmse:E3}");
    }

    [Fact]
    public void ARandomQwen2InBF16AgreesWithItsConversion()
    {
        var dir = Path.Combine(_dir, "q");
        RandomModel("qwen2", "BF16", tied: true, headDim: null).Write(dir);
        var gguf = Path.Combine(_dir, "q.gguf");
        var result = CheckpointConverter.Convert(dir, gguf);
        Assert.Equal("BF16", QuantizationTargets.ForFileType(LlamaFileType.MostlyBF16).Name);

        using (var f = GgufFile.Open(gguf))
        {
            Assert.Equal("qwen2", f.Metadata.GetString("general.architecture"));
            Assert.Equal((long)LlamaFileType.MostlyBF16, f.Metadata.GetInt("general.file_type"));
            Assert.Equal(96, f.Metadata.GetInt("qwen2.feed_forward_length"));
            Assert.Equal(1e-6, f.Metadata.GetFloat("qwen2.attention.layer_norm_rms_epsilon")!.Value, 1e-12);
            Assert.Equal("no_vocab", f.Metadata.GetString("tokenizer.ggml.model"));
            Assert.Null(f.FindTensor(TensorNames.Output));
            Assert.Equal(WeightType.BF16, f.GetTensor("token_embd.weight").Type);
            Assert.Equal(WeightType.F32, f.GetTensor("blk.1.attn_k.bias").Type);   // 1-D tensors widened
            Assert.Equal(WeightType.F32, f.GetTensor("output_norm.weight").Type);
            Assert.Equal(new long[] { 64, 32 }, f.GetTensor("blk.0.attn_k.weight").Shape);
            Assert.Equal(2 * 12 + 2, f.Tensors.Count);
        }

        using var direct = ModelRegistry.LoadDecoder(dir);
        using var converted = ModelRegistry.LoadDecoder(gguf);
        Assert.Equal(RopeStyle.NeoX, direct.Config.Rope);
        Assert.Equal(RopeStyle.NeoX, converted.Config.Rope);
        var ids = Ids(direct.Config.VocabSize);
        var a = Evaluate(direct, ids);
        var c = Evaluate(converted, ids);
        output.WriteLine($"qwen2 BF16: max |Δ| direct vs converted {Metrics.MaxAbs(a, c):E2} (logit std {Std(a):F3})");
        Assert.Equal(0, Metrics.MaxAbs(a, c)); // the same bytes through the same kernels
        Assert.True(Std(a) > 0.05, "the random model produces non-trivial logits");

        // Quantized conversion loads and stays close.
        var q8 = Path.Combine(_dir, "q8.gguf");
        CheckpointConverter.Convert(dir, q8, QuantizationTargets.All.First(t => t.Name == "Q8_0"));
        using var quantized = ModelRegistry.LoadDecoder(q8);
        double nmse = Metrics.Nmse(Evaluate(quantized, ids), a);
        output.WriteLine($"qwen2 Q8_0 vs BF16: NMSE {nmse:E2}");
        Assert.True(nmse < 1e-3, $"NMSE {nmse:E3}");
    }

    [Fact]
    public void ARandomMistralInF16AgreesWithItsConversion()
    {
        var dir = Path.Combine(_dir, "m");
        RandomModel("mistral", "F16", tied: false, headDim: 32).Write(dir);
        var gguf = Path.Combine(_dir, "m.gguf");
        CheckpointConverter.Convert(dir, gguf);

        using (var f = GgufFile.Open(gguf))
        {
            Assert.Equal("llama", f.Metadata.GetString("general.architecture"));
            Assert.Equal((long)LlamaFileType.MostlyF16, f.Metadata.GetInt("general.file_type"));
            Assert.Equal(32, f.Metadata.GetInt("llama.attention.key_length"));
            Assert.Equal(32, f.Metadata.GetInt("llama.rope.dimension_count"));
            Assert.Equal(new long[] { 64, 128 }, f.GetTensor("blk.0.attn_q.weight").Shape);
            Assert.Equal(WeightType.F16, f.GetTensor(TensorNames.Output).Type);
        }

        using var direct = ModelRegistry.LoadDecoder(dir);
        using var converted = ModelRegistry.LoadDecoder(gguf);
        Assert.Equal(RopeStyle.NeoX, direct.Config.Rope);
        Assert.Equal(RopeStyle.Normal, converted.Config.Rope);
        Assert.Equal(32, direct.Config.HeadDim);
        var ids = Ids(direct.Config.VocabSize);
        var a = Evaluate(direct, ids);
        var c = Evaluate(converted, ids);
        double maxAbs = Metrics.MaxAbs(a, c);
        output.WriteLine($"mistral F16: max |Δ| direct (half-split rotary) vs converted (reordered rows) {maxAbs:E2} (logit std {Std(a):F3})");
        // Only the order of the q·k sums differs between the two.
        Assert.True(maxAbs < 1e-4, $"max |Δ| {maxAbs:E3}");
        Assert.True(Std(a) > 0.05);
    }

    [Fact]
    public void ProblemsInACheckpointAreNamed()
    {
        var dir = Path.Combine(_dir, "bad");
        var b = RandomModel("mistral", "F32", tied: true, headDim: null);
        b.Weights.Add("model.layers.0.mlp.experts.weight", "F32", [2], new byte[8]);
        b.Weights.Add("model.layers.1.self_attn.q_proj.bias", "I32", [64], new byte[256]);
        b.Write(dir);
        var e = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(dir));
        Assert.Contains("'model.layers.0.mlp.experts.weight' is not a tensor of a mistral model", e.Message);
        Assert.Contains("'model.layers.1.self_attn.q_proj.bias' has dtype I32", e.Message);

        var cases = new (Action<Dictionary<string, object>> Edit, string Message)[]
        {
            (c => { c["model_type"] = "gpt_neox"; c["architectures"] = new[] { "GPTNeoXForCausalLM" }; }, "model_type 'gpt_neox'"),
            (c => c.Remove("hidden_size"), "missing required keys: hidden_size"),
            (c => c["num_key_value_heads"] = 3, "not a multiple of num_key_value_heads 3"),
            (c => c["rope_scaling"] = new Dictionary<string, object> { ["rope_type"] = "llama3", ["factor"] = 8.0 }, "rope_scaling type 'llama3' is not supported"),
            (c => c["vocab_size"] = 99, "token_embd.weight"),
        };
        foreach (var (edit, message) in cases)
        {
            var d = Path.Combine(_dir, "case");
            if (Directory.Exists(d)) Directory.Delete(d, true);
            var m = RandomModel("qwen2", "F32", tied: true, headDim: null);
            edit(m.Config);
            m.Write(d);
            var ex = Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(d));
            Assert.Contains(message, ex.Message);
        }
        File.WriteAllText(Path.Combine(_dir, "case", "config.json"), "{ not json");
        Assert.Contains("not valid JSON", Assert.Throws<ModelLoadException>(() => ModelRegistry.Load(Path.Combine(_dir, "case"))).Message);
    }

    /// <summary>A 2-layer random model: E=64, 4 query heads over 2 KV heads, FFN 96, vocabulary 100.</summary>
    private static CheckpointBuilder RandomModel(string modelType, string dtype, bool tied, int? headDim)
    {
        const int E = 64, F = 96, V = 100, L = 2, H = 4, Hkv = 2;
        int d = headDim ?? E / H;
        var rnd = new Random(modelType.Length * 31 + dtype.Length);
        var b = new CheckpointBuilder();
        b.Config["architectures"] = new[] { modelType == "qwen2" ? "Qwen2ForCausalLM" : "MistralForCausalLM" };
        b.Config["model_type"] = modelType;
        b.Config["hidden_size"] = E;
        b.Config["intermediate_size"] = F;
        b.Config["num_hidden_layers"] = L;
        b.Config["num_attention_heads"] = H;
        b.Config["num_key_value_heads"] = Hkv;
        if (headDim is int hd) b.Config["head_dim"] = hd;
        b.Config["vocab_size"] = V;
        b.Config["rms_norm_eps"] = modelType == "qwen2" ? 1e-6 : 1e-5;
        b.Config["rope_theta"] = 10000.0;
        b.Config["max_position_embeddings"] = 128;
        b.Config["tie_word_embeddings"] = tied;
        b.Config["bos_token_id"] = 1;
        b.Config["eos_token_id"] = new[] { 2, 3 };
        double w = 1 / Math.Sqrt(E);
        b.AddRandom(rnd, "model.embed_tokens.weight", dtype, [V, E], 1);
        for (int l = 0; l < L; l++)
        {
            string p = $"model.layers.{l}.";
            b.AddRandom(rnd, p + "input_layernorm.weight", dtype, [E], 0.2, 1);
            b.AddRandom(rnd, p + "self_attn.q_proj.weight", dtype, [H * d, E], 3 * w);
            b.AddRandom(rnd, p + "self_attn.k_proj.weight", dtype, [Hkv * d, E], 3 * w);
            b.AddRandom(rnd, p + "self_attn.v_proj.weight", dtype, [Hkv * d, E], w);
            if (modelType == "qwen2")
            {
                b.AddRandom(rnd, p + "self_attn.q_proj.bias", dtype, [H * d], 0.5);
                b.AddRandom(rnd, p + "self_attn.k_proj.bias", dtype, [Hkv * d], 0.5);
                b.AddRandom(rnd, p + "self_attn.v_proj.bias", dtype, [Hkv * d], 0.5);
            }
            b.AddRandom(rnd, p + "self_attn.o_proj.weight", dtype, [E, H * d], w);
            b.AddRandom(rnd, p + "post_attention_layernorm.weight", dtype, [E], 0.2, 1);
            b.AddRandom(rnd, p + "mlp.gate_proj.weight", dtype, [F, E], w);
            b.AddRandom(rnd, p + "mlp.up_proj.weight", dtype, [F, E], w);
            b.AddRandom(rnd, p + "mlp.down_proj.weight", dtype, [E, F], 1 / Math.Sqrt(F));
        }
        b.AddRandom(rnd, "model.norm.weight", dtype, [E], 0.2, 1);
        if (!tied) b.AddRandom(rnd, "lm_head.weight", dtype, [V, E], w);
        return b;
    }

    private static int[] Ids(int vocab) => Enumerable.Range(0, 24).Select(i => (i * 37 + 1) % vocab).ToArray();

    private static float[] Evaluate(DecoderModel model, int[] ids)
    {
        using var s = model.CreateSession(contextLength: 128, threads: 2);
        var logits = new float[ids.Length * model.Config.VocabSize];
        s.Evaluate(ids, logits, allLogits: true);
        return logits;
    }

    private static double Std(float[] x)
    {
        double mean = x.Average(v => (double)v);
        return Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
    }
}

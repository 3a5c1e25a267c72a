using Baimo.Formats.Gguf;
using Baimo.Models.Quantization;
using Baimo.Tensors;
using T = Baimo.Tensors.WeightType;

namespace Baimo.Models.Tests.Quantization;

/// <summary>
/// llama-quantize's per-tensor types (llama_tensor_get_type) for a TinyLlama-shaped model: 22 layers, GQA 8.
/// With 22 layers, use_more_bits(i) holds for i &lt; 22/8 = 2, i ≥ 7·22/8 = 19 and (i − 2) mod 3 = 2, i.e.
/// layers 0, 1, 4, 7, 10, 13, 16, 19, 20, 21 — written out below rather than recomputed.
/// </summary>
public class RecipeTests
{
    private static readonly int[] MoreBitsLayers = [0, 1, 4, 7, 10, 13, 16, 19, 20, 21];

    private static Dictionary<string, T> Types(string target, QuantizationModelInfo? model = null, List<(string, long[])>? tensors = null, bool pure = false)
    {
        Assert.True(QuantizationTargets.TryParse(target, out var t));
        var plan = QuantizationPlan.Create(model ?? TinyLlamaShape.Hparams(), TinyLlamaShape.Infos(tensors ?? TinyLlamaShape.Tensors()), t, pure);
        return plan.Tensors.ToDictionary(p => p.Source.Name, p => p.TargetType);
    }

    /// <summary>Checks every tensor: norms F32, the named roles as given, all other matrices <paramref name="rest"/>.</summary>
    private static void AssertTypes(Dictionary<string, T> types, T output, T embedding, Func<int, T> attnV, Func<int, T> ffnDown, Func<int, T> attnOutput, T rest)
    {
        Assert.Equal(output, types["output.weight"]);
        Assert.Equal(embedding, types["token_embd.weight"]);
        Assert.Equal(T.F32, types["output_norm.weight"]);
        for (int i = 0; i < TinyLlamaShape.Layers; i++)
        {
            Assert.Equal(T.F32, types[$"blk.{i}.attn_norm.weight"]);
            Assert.Equal(T.F32, types[$"blk.{i}.ffn_norm.weight"]);
            Assert.True(attnV(i) == types[$"blk.{i}.attn_v.weight"], $"attn_v layer {i}: expected {attnV(i)}, got {types[$"blk.{i}.attn_v.weight"]}");
            Assert.True(ffnDown(i) == types[$"blk.{i}.ffn_down.weight"], $"ffn_down layer {i}: expected {ffnDown(i)}, got {types[$"blk.{i}.ffn_down.weight"]}");
            Assert.Equal(attnOutput(i), types[$"blk.{i}.attn_output.weight"]);
            foreach (var n in new[] { "attn_q", "attn_k", "ffn_gate", "ffn_up" })
                Assert.Equal(rest, types[$"blk.{i}.{n}.weight"]);
        }
    }

    private static bool MoreBits(int i) => MoreBitsLayers.Contains(i);

    [Fact]
    public void Q4_K_M_GivesHalfOfAttnVAndFfnDownQ6_K()
    {
        AssertTypes(Types("Q4_K_M"), output: T.Q6_K, embedding: T.Q4_K,
            attnV: i => MoreBits(i) ? T.Q6_K : T.Q4_K, ffnDown: i => MoreBits(i) ? T.Q6_K : T.Q4_K,
            attnOutput: _ => T.Q4_K, rest: T.Q4_K);
    }

    [Fact]
    public void Q4_K_AliasIsQ4_K_M()
    {
        Assert.Equal(Types("Q4_K_M"), Types("q4_k"));
        Assert.True(QuantizationTargets.TryParse("Q4_K", out var t));
        Assert.Equal(LlamaFileType.MostlyQ4_K_M, t.FileType);
    }

    [Fact]
    public void Q4_K_S_BumpsOnlyTheFirstLayers()
    {
        AssertTypes(Types("Q4_K_S"), output: T.Q6_K, embedding: T.Q4_K,
            attnV: i => i < 4 ? T.Q5_K : T.Q4_K, ffnDown: i => i < 2 ? T.Q5_K : T.Q4_K,
            attnOutput: _ => T.Q4_K, rest: T.Q4_K);
    }

    [Fact]
    public void Q5_K_M_GivesHalfOfAttnVAndFfnDownQ6_K()
    {
        AssertTypes(Types("Q5_K_M"), output: T.Q6_K, embedding: T.Q5_K,
            attnV: i => MoreBits(i) ? T.Q6_K : T.Q5_K, ffnDown: i => MoreBits(i) ? T.Q6_K : T.Q5_K,
            attnOutput: _ => T.Q5_K, rest: T.Q5_K);
    }

    [Fact]
    public void Q5_K_S_IsQ5_KExceptTheOutput()
    {
        AssertTypes(Types("Q5_K_S"), output: T.Q6_K, embedding: T.Q5_K,
            attnV: _ => T.Q5_K, ffnDown: _ => T.Q5_K, attnOutput: _ => T.Q5_K, rest: T.Q5_K);
    }

    [Fact]
    public void Q3_K_M_BumpsAttnVFfnDownAndAttnOutput()
    {
        // attn_v: the first two Q5_K, the rest Q4_K; ffn_down: layers below 22/16 = 1 Q5_K, the rest Q4_K.
        AssertTypes(Types("Q3_K_M"), output: T.Q6_K, embedding: T.Q3_K,
            attnV: i => i < 2 ? T.Q5_K : T.Q4_K, ffnDown: i => i < 1 ? T.Q5_K : T.Q4_K,
            attnOutput: _ => T.Q4_K, rest: T.Q3_K);
    }

    [Fact]
    public void Q3_K_L_AndQ3_K_S()
    {
        AssertTypes(Types("Q3_K_L"), output: T.Q6_K, embedding: T.Q3_K,
            attnV: _ => T.Q5_K, ffnDown: _ => T.Q5_K, attnOutput: _ => T.Q5_K, rest: T.Q3_K);
        AssertTypes(Types("Q3_K_S"), output: T.Q6_K, embedding: T.Q3_K,
            attnV: _ => T.Q3_K, ffnDown: _ => T.Q3_K, attnOutput: _ => T.Q3_K, rest: T.Q3_K);
    }

    [Fact]
    public void Q2_K_MixtureDependsOnGqa()
    {
        // GQA 8 ≥ 4: attn_v gets Q4_K; ffn_down and attn_output Q3_K.
        AssertTypes(Types("Q2_K"), output: T.Q6_K, embedding: T.Q2_K,
            attnV: _ => T.Q4_K, ffnDown: _ => T.Q3_K, attnOutput: _ => T.Q3_K, rest: T.Q2_K);
        // Without GQA attn_v gets Q3_K.
        var mha = Types("Q2_K", TinyLlamaShape.Hparams(kvHeads: 32));
        Assert.All(Enumerable.Range(0, 22), i => Assert.Equal(T.Q3_K, mha[$"blk.{i}.attn_v.weight"]));
    }

    [Fact]
    public void Q6_K_Q8_0_AndLegacyTypes()
    {
        AssertTypes(Types("Q6_K"), T.Q6_K, T.Q6_K, _ => T.Q6_K, _ => T.Q6_K, _ => T.Q6_K, T.Q6_K);
        // The output is not bumped when the base type is already Q8_0.
        AssertTypes(Types("Q8_0"), T.Q8_0, T.Q8_0, _ => T.Q8_0, _ => T.Q8_0, _ => T.Q8_0, T.Q8_0);
        AssertTypes(Types("Q4_0"), T.Q6_K, T.Q4_0, _ => T.Q4_0, _ => T.Q4_0, _ => T.Q4_0, T.Q4_0);
        AssertTypes(Types("Q5_1"), T.Q6_K, T.Q5_1, _ => T.Q5_1, _ => T.Q5_1, _ => T.Q5_1, T.Q5_1);
    }

    [Fact]
    public void IQ4_XS_BumpsAttnVWithGqaAndTheFirstFfnDown()
    {
        AssertTypes(Types("IQ4_XS"), output: T.Q6_K, embedding: T.IQ4_XS,
            attnV: _ => T.Q5_K, ffnDown: i => i < 2 ? T.Q5_K : T.IQ4_XS, attnOutput: _ => T.IQ4_XS, rest: T.IQ4_XS);
        var mha = Types("IQ4_NL", TinyLlamaShape.Hparams(kvHeads: 32));
        Assert.Equal(T.IQ4_NL, mha["blk.5.attn_v.weight"]);
        Assert.Equal(T.Q5_K, mha["blk.1.ffn_down.weight"]);
    }

    [Fact]
    public void FloatTargetsConvertEveryMatrixAndKeepNorms()
    {
        foreach (var (name, type) in new[] { ("F16", T.F16), ("BF16", T.BF16) })
            AssertTypes(Types(name), type, type, _ => type, _ => type, _ => type, type);
    }

    [Fact]
    public void PureUsesOneTypeForOutputAndEmbeddingToo()
    {
        AssertTypes(Types("Q4_K_M", pure: true), T.Q4_K, T.Q4_K, _ => T.Q4_K, _ => T.Q4_K, _ => T.Q4_K, T.Q4_K);
    }

    [Fact]
    public void TiedEmbeddingIsTreatedAsTheOutput()
    {
        var types = Types("Q4_K_M", tensors: TinyLlamaShape.Tensors(tiedOutput: true));
        Assert.Equal(T.Q6_K, types["token_embd.weight"]);
        Assert.False(types.ContainsKey("output.weight"));
    }

    [Fact]
    public void MixtureOfEightExpertsBumpsAttention()
    {
        var types = Types("Q4_K_M", TinyLlamaShape.Hparams(experts: 8));
        Assert.Equal(T.Q8_0, types["blk.3.attn_v.weight"]);
        Assert.Equal(T.Q8_0, types["blk.3.attn_k.weight"]);
        Assert.Equal(T.Q5_K, types["blk.3.attn_output.weight"]);
        Assert.Equal(T.Q4_K, types["blk.3.attn_q.weight"]);
    }

    [Fact]
    public void SeventyBClassGivesAttnVQ5_K()
    {
        // llama with 80 layers and GQA: llama.cpp's 70B class; Q4_K_S's attn_v beyond the first four becomes Q5_K.
        var tensors = TinyLlamaShape.Tensors(layers: 80);
        var types = Types("Q4_K_S", TinyLlamaShape.Hparams(layers: 80, heads: 64, kvHeads: 8), tensors);
        Assert.All(Enumerable.Range(0, 80), i => Assert.Equal(T.Q5_K, types[$"blk.{i}.attn_v.weight"]));
        Assert.Equal(T.Q4_K, types["blk.40.attn_q.weight"]);
    }

    [Fact]
    public void RowsThatDoNotFitTheBlockFallBack()
    {
        // 64-wide rows (stories260K): Q4_K→Q5_0, Q6_K→Q8_0, Q3_K/Q2_K→IQ4_NL; 172-wide rows fit no 32-block → F16.
        var tensors = TinyLlamaShape.Tensors(layers: 8, embd: 64, ffn: 172);
        var model = TinyLlamaShape.Hparams(layers: 8);
        var q4km = Types("Q4_K_M", model, tensors);
        Assert.Equal(T.Q5_0, q4km["blk.2.attn_q.weight"]);
        Assert.Equal(T.Q8_0, q4km["blk.0.attn_v.weight"]);      // use_more_bits → Q6_K → Q8_0
        Assert.Equal(T.Q5_0, q4km["blk.2.attn_v.weight"]);
        Assert.Equal(T.F16, q4km["blk.2.ffn_down.weight"]);    // rows of 172
        Assert.Equal(T.Q8_0, q4km["output.weight"]);           // output rows not a multiple of 256 → Q8_0 directly
        Assert.Equal(T.Q5_0, q4km["token_embd.weight"]);
        var q3 = Types("Q3_K_S", model, tensors);
        Assert.Equal(T.IQ4_NL, q3["blk.2.attn_q.weight"]);
        var q5 = Types("Q5_K_S", model, tensors);
        Assert.Equal(T.Q5_1, q5["blk.2.attn_q.weight"]);
        // Legacy types: llama-quantize stops on rows of 172; Baimo uses F16, its last-resort fallback.
        var q8 = Types("Q8_0", model, tensors);
        Assert.Equal(T.F16, q8["blk.2.ffn_down.weight"]);
        Assert.Equal(T.Q8_0, q8["blk.2.ffn_up.weight"]);
    }

    [Fact]
    public void OrderIsLlamaQuantizes()
    {
        var names = new[] { "blk.10.attn_q.weight", "token_embd.weight", "blk.2.ffn_up.weight", "output.weight", "blk.2.attn_q.weight", "output_norm.weight" };
        Assert.Equal(["output.weight", "output_norm.weight", "token_embd.weight", "blk.2.attn_q.weight", "blk.2.ffn_up.weight", "blk.10.attn_q.weight"],
            names.OrderBy(n => n, TensorOrder.Instance));
    }

    [Fact]
    public void QuantizedFileHasTheRecipesTypes()
    {
        var dir = Directory.CreateTempSubdirectory("baimo-recipe").FullName;
        try
        {
            var input = Path.Combine(dir, "tiny-F32.gguf");
            TinyLlamaShape.Write(input);
            var output = Path.Combine(dir, "tiny-Q4_K_M.gguf");
            Assert.True(QuantizationTargets.TryParse("Q4_K_M", out var target));
            ModelQuantizer.Quantize(input, output, new QuantizeOptions(target, Threads: 2));
            using var f = GgufFile.Open(output);
            var expected = Types("Q4_K_M");
            Assert.Equal(expected.Count, f.Tensors.Count);
            foreach (var t in f.Tensors) Assert.Equal(expected[t.Name], t.Type);
            Assert.Equal(15L, f.Metadata.GetInt("general.file_type"));
            Assert.Equal(2L, f.Metadata.GetInt("general.quantization_version"));
            Assert.Equal("tiny-llama-shape", f.Metadata.GetString("general.name"));
            Assert.Equal(["general.quantization_version", "general.file_type"], f.Metadata.Keys.TakeLast(2));
            Assert.Single(Directory.GetFiles(dir, "tiny-Q4_K_M*"));
        }
        finally { Directory.Delete(dir, true); }
    }
}

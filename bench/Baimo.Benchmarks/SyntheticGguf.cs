using Baimo.Formats.Gguf;
using Baimo.Tensors;

namespace Baimo.Benchmarks;

/// <summary>
/// Writes a GGUF file shaped like a 7B-parameter Qwen2 model in Q4_K (339 tensors, a 152k-token
/// vocabulary with 151k merges, ≈4.4 GB) without writing the weights: the tensor data is a sparse hole,
/// so the file costs no disk space or time to create, yet opening it does all the work a real one needs.
/// </summary>
public static class SyntheticGguf
{
    public const int Vocab = 152_064;
    public const int Embedding = 3584;
    public const int Ffn = 18_944;
    public const int Layers = 28;
    public const int KvDim = 512;

    public static string Create(string path)
    {
        var w = new GgufWriter();
        w.Metadata.Set("general.architecture", "qwen2");
        w.Metadata.Set("general.name", "synthetic-7b-shape");
        w.Metadata.Set("qwen2.block_count", (uint)Layers);
        w.Metadata.Set("qwen2.embedding_length", (uint)Embedding);
        w.Metadata.Set("tokenizer.ggml.model", "gpt2");
        var rnd = new Random(42);
        var tokens = new string[Vocab];
        for (int i = 0; i < Vocab; i++) tokens[i] = RandomToken(rnd, i);
        w.Metadata.Set("tokenizer.ggml.tokens", tokens);
        w.Metadata.Set("tokenizer.ggml.token_type", Enumerable.Repeat(1, Vocab).ToArray());
        var merges = new string[Vocab - 1000];
        for (int i = 0; i < merges.Length; i++) merges[i] = tokens[rnd.Next(Vocab)] + " " + tokens[rnd.Next(Vocab)];
        w.Metadata.Set("tokenizer.ggml.merges", merges);

        void Hole(string name, params long[] shape)
        {
            var size = WeightLayout.Of(WeightType.Q4_K).ByteCount(shape.Aggregate(1L, (a, b) => a * b));
            w.AddTensor(name, WeightType.Q4_K, shape, s => s.Seek(size, SeekOrigin.Current));
        }
        Hole("token_embd.weight", Embedding, Vocab);
        for (int l = 0; l < Layers; l++)
        {
            Hole($"blk.{l}.attn_q.weight", Embedding, Embedding);
            Hole($"blk.{l}.attn_k.weight", Embedding, KvDim);
            Hole($"blk.{l}.attn_v.weight", Embedding, KvDim);
            Hole($"blk.{l}.attn_output.weight", Embedding, Embedding);
            Hole($"blk.{l}.ffn_gate.weight", Embedding, Ffn);
            Hole($"blk.{l}.ffn_up.weight", Embedding, Ffn);
            Hole($"blk.{l}.ffn_down.weight", Ffn, Embedding);
            foreach (var (name, len) in new[] { ("attn_norm.weight", Embedding), ("ffn_norm.weight", Embedding),
                         ("attn_q.bias", Embedding), ("attn_k.bias", KvDim), ("attn_v.bias", KvDim) })
                w.AddTensor($"blk.{l}.{name}", WeightType.F32, [len], new byte[len * 4]);
        }
        w.AddTensor("output_norm.weight", WeightType.F32, [Embedding], new byte[Embedding * 4]);
        Hole("output.weight", Embedding, Vocab);
        w.Write(path);
        return path;
    }

    private static string RandomToken(Random rnd, int i)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyzĠ中文模型的是在了和";
        int len = 1 + rnd.Next(8);
        var chars = new char[len];
        for (int k = 0; k < len; k++) chars[k] = letters[rnd.Next(letters.Length)];
        return new string(chars) + i.ToString("x");
    }
}

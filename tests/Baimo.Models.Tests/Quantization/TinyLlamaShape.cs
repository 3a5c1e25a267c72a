using Baimo.Formats.Gguf;
using Baimo.Models.Quantization;
using Baimo.Tensors;

namespace Baimo.Models.Tests.Quantization;

/// <summary>
/// TinyLlama-1.1B's tensor names, layer count (22) and attention heads (32 query, 4 KV: GQA 8), with every
/// dimension shrunk to 256 so K-quant blocks fit each row. Enough for the recipe, which only reads names,
/// row lengths and these hyperparameters.
/// </summary>
internal static class TinyLlamaShape
{
    public const int Layers = 22;
    public const int Embd = 256, KvDim = 32, Ffn = 256, Vocab = 256;

    /// <summary>The tensors in the order convert_hf_to_gguf.py writes them (not llama-quantize's order).</summary>
    public static List<(string Name, long[] Shape)> Tensors(int layers = Layers, bool tiedOutput = false, int embd = Embd, int ffn = Ffn)
    {
        var list = new List<(string, long[])> { ("token_embd.weight", [embd, Vocab]) };
        for (int i = 0; i < layers; i++)
        {
            list.Add(($"blk.{i}.attn_norm.weight", [embd]));
            list.Add(($"blk.{i}.attn_q.weight", [embd, embd]));
            list.Add(($"blk.{i}.attn_k.weight", [embd, KvDim]));
            list.Add(($"blk.{i}.attn_v.weight", [embd, KvDim]));
            list.Add(($"blk.{i}.attn_output.weight", [embd, embd]));
            list.Add(($"blk.{i}.ffn_norm.weight", [embd]));
            list.Add(($"blk.{i}.ffn_gate.weight", [embd, ffn]));
            list.Add(($"blk.{i}.ffn_up.weight", [embd, ffn]));
            list.Add(($"blk.{i}.ffn_down.weight", [ffn, embd]));
        }
        list.Add(("output_norm.weight", [embd]));
        if (!tiedOutput) list.Add(("output.weight", [embd, Vocab]));
        return list;
    }

    public static List<GgufTensorInfo> Infos(IEnumerable<(string Name, long[] Shape)> tensors) =>
        tensors.Select(t => new GgufTensorInfo(t.Name, WeightType.F32, t.Shape, 0, 4 * t.Shape.Aggregate(1L, (a, b) => a * b))).ToList();

    public static QuantizationModelInfo Hparams(int layers = Layers, int heads = 32, int kvHeads = 4, int experts = 0, string arch = "llama") =>
        new(arch, layers, heads, kvHeads, experts);

    /// <summary>Writes the shape as an F32 GGUF with small deterministic random weights.</summary>
    public static void Write(string path)
    {
        var w = new GgufWriter();
        w.Metadata.Set("general.architecture", "llama");
        w.Metadata.Set("general.name", "tiny-llama-shape");
        w.Metadata.Set("llama.block_count", (uint)Layers);
        w.Metadata.Set("llama.embedding_length", (uint)Embd);
        w.Metadata.Set("llama.feed_forward_length", (uint)Ffn);
        w.Metadata.Set("llama.attention.head_count", 32u);
        w.Metadata.Set("llama.attention.head_count_kv", 4u);
        w.Metadata.Set("general.file_type", 0u);
        int seed = 0;
        foreach (var (name, shape) in Tensors())
        {
            int s = ++seed;
            long n = shape.Aggregate(1L, (a, b) => a * b);
            w.AddTensor(name, WeightType.F32, shape, stream =>
            {
                var rng = new Random(s);
                var bytes = new byte[n * 4];
                for (long i = 0; i < n; i++) BitConverter.TryWriteBytes(bytes.AsSpan((int)(i * 4)), (float)(rng.NextDouble() - 0.5) * 0.1f);
                stream.Write(bytes);
            });
        }
        w.Write(path);
    }
}

using Baimo.Formats.Gguf;

namespace Baimo.Models.Quantization;

/// <summary>
/// The few hyperparameters llama.cpp's type recipe looks at, read from a GGUF's metadata.
/// </summary>
/// <param name="Architecture"><c>general.architecture</c> (falcon has its own rules).</param>
/// <param name="LayerCount"><c>{arch}.block_count</c>.</param>
/// <param name="HeadCount">Query heads of layer 0.</param>
/// <param name="HeadCountKv">Key/value heads of layer 0 (equal to <see cref="HeadCount"/> when absent).</param>
/// <param name="ExpertCount"><c>{arch}.expert_count</c>, 0 for dense models.</param>
public sealed record QuantizationModelInfo(string Architecture, int LayerCount, int HeadCount, int HeadCountKv, int ExpertCount)
{
    /// <summary>Query heads per KV head (llama.cpp's <c>n_gqa()</c>, 0 when there are no KV heads).</summary>
    public int GqaFactor => HeadCountKv == 0 ? 0 : HeadCount / HeadCountKv;

    /// <summary>
    /// llama.cpp gives attn_v of its "70B" size class extra bits; it assigns that class to llama-architecture
    /// models with 80 layers and grouped-query attention (80 layers without GQA is its "65B").
    /// </summary>
    public bool Is70BClass => Architecture == "llama" && LayerCount == 80 && HeadCount != HeadCountKv;

    /// <summary>Reads the hyperparameters; missing counts read as 0 (and KV heads as the head count), as llama.cpp's defaults do.</summary>
    /// <exception cref="GgufFormatException">general.architecture is missing.</exception>
    public static QuantizationModelInfo FromMetadata(GgufMetadata metadata, string path)
    {
        var arch = metadata.GetString("general.architecture")
            ?? throw new GgufFormatException("general.architecture is missing", "general.architecture", 0, path);
        int heads = FirstInt(metadata, $"{arch}.attention.head_count") ?? 0;
        return new QuantizationModelInfo(
            arch,
            FirstInt(metadata, $"{arch}.block_count") ?? 0,
            heads,
            FirstInt(metadata, $"{arch}.attention.head_count_kv") ?? heads,
            FirstInt(metadata, $"{arch}.expert_count") ?? 0);
    }

    // Head counts may be stored per layer (an array); llama.cpp's n_gqa() without a layer reads layer 0.
    private static int? FirstInt(GgufMetadata metadata, string key)
    {
        if (!metadata.TryGetValue(key, out var v)) return null;
        if (v is Array { Length: > 0 } a) v = a.GetValue(0)!;
        return GgufMetadata.AsLong(v) is long l ? (int)l : null;
    }
}

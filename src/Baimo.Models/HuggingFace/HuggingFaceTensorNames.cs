namespace Baimo.Models.HuggingFace;

/// <summary>
/// Hugging Face tensor names of the Llama/Mistral/Qwen2 families and their GGUF names ("tensor names are
/// data"). Per-layer names share the <c>model.layers.{i}.</c> prefix and map to <c>blk.{i}.</c>.
/// </summary>
public static class HuggingFaceTensorNames
{
    private static readonly Dictionary<string, string> Global = new(StringComparer.Ordinal)
    {
        ["model.embed_tokens.weight"] = TensorNames.TokenEmbedding,
        ["model.norm.weight"] = TensorNames.OutputNorm,
        ["lm_head.weight"] = TensorNames.Output,
    };

    private static readonly Dictionary<string, string> PerLayer = new(StringComparer.Ordinal)
    {
        ["input_layernorm.weight"] = "attn_norm.weight",
        ["self_attn.q_proj.weight"] = "attn_q.weight",
        ["self_attn.k_proj.weight"] = "attn_k.weight",
        ["self_attn.v_proj.weight"] = "attn_v.weight",
        ["self_attn.q_proj.bias"] = "attn_q.bias",
        ["self_attn.k_proj.bias"] = "attn_k.bias",
        ["self_attn.v_proj.bias"] = "attn_v.bias",
        ["self_attn.o_proj.weight"] = "attn_output.weight",
        ["post_attention_layernorm.weight"] = "ffn_norm.weight",
        ["mlp.gate_proj.weight"] = "ffn_gate.weight",
        ["mlp.up_proj.weight"] = "ffn_up.weight",
        ["mlp.down_proj.weight"] = "ffn_down.weight",
    };

    private const string LayerPrefix = "model.layers.";

    /// <summary>Buffers some checkpoints carry that the engine recomputes (rotary frequencies): skipped, not an error.</summary>
    public static bool IsIgnored(string hfName) => hfName.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal);

    /// <summary>The GGUF name of a Hugging Face tensor, or null for a name outside the table.</summary>
    public static string? ToGguf(string hfName)
    {
        if (Global.TryGetValue(hfName, out var g)) return g;
        if (!hfName.StartsWith(LayerPrefix, StringComparison.Ordinal)) return null;
        int dot = hfName.IndexOf('.', LayerPrefix.Length);
        if (dot < 0 || !int.TryParse(hfName.AsSpan(LayerPrefix.Length, dot - LayerPrefix.Length), System.Globalization.NumberStyles.None, null, out int layer))
            return null;
        return PerLayer.TryGetValue(hfName[(dot + 1)..], out var suffix) ? $"blk.{layer}.{suffix}" : null;
    }

    /// <summary>The Hugging Face name of a GGUF tensor of these families, or null.</summary>
    public static string? FromGguf(string ggufName)
    {
        foreach (var (hf, gguf) in Global)
            if (gguf == ggufName) return hf;
        if (!ggufName.StartsWith("blk.", StringComparison.Ordinal)) return null;
        int dot = ggufName.IndexOf('.', 4);
        if (dot < 0) return null;
        var suffix = ggufName[(dot + 1)..];
        foreach (var (hf, gguf) in PerLayer)
            if (gguf == suffix) return $"{LayerPrefix}{ggufName[4..dot]}.{hf}";
        return null;
    }

    /// <summary>Whether a GGUF tensor holds query or key rows, whose rotary layout differs between the formats.</summary>
    public static bool IsQuery(string ggufName) => ggufName.EndsWith(".attn_q.weight", StringComparison.Ordinal) || ggufName.EndsWith(".attn_q.bias", StringComparison.Ordinal);

    public static bool IsKey(string ggufName) => ggufName.EndsWith(".attn_k.weight", StringComparison.Ordinal) || ggufName.EndsWith(".attn_k.bias", StringComparison.Ordinal);
}

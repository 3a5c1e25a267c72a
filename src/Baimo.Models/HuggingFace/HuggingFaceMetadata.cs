using System.Text.Json;
using Baimo.Formats.Gguf;

namespace Baimo.Models.HuggingFace;

/// <summary>
/// The GGUF metadata of a Hugging Face checkpoint: the keys llama.cpp's converter writes for the same
/// model (architecture, hyper-parameters under <c>{arch}.</c>, special token ids, chat template), so a
/// checkpoint loads through the same code as a GGUF file and converts to one without further mapping.
/// </summary>
public static class HuggingFaceMetadata
{
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    public static GgufMetadata Build(HuggingFaceConfig c, string name, string? chatTemplate)
    {
        var md = new GgufMetadata();
        string a = c.Architecture;
        md.Set("general.architecture", a);
        md.Set("general.name", name);
        md.Set($"{a}.block_count", (uint)c.LayerCount);
        md.Set($"{a}.context_length", (uint)c.MaxPositions);
        md.Set($"{a}.embedding_length", (uint)c.HiddenSize);
        md.Set($"{a}.feed_forward_length", (uint)c.IntermediateSize);
        md.Set($"{a}.attention.head_count", (uint)c.HeadCount);
        md.Set($"{a}.attention.head_count_kv", (uint)c.HeadCountKv);
        md.Set($"{a}.rope.freq_base", (float)c.RopeTheta);
        md.Set($"{a}.attention.layer_norm_rms_epsilon", (float)c.RmsNormEps);
        md.Set($"{a}.vocab_size", (uint)c.VocabSize);
        md.Set($"{a}.rope.dimension_count", (uint)c.HeadDim);
        if (c.HeadDim * c.HeadCount != c.HiddenSize)
        {
            md.Set($"{a}.attention.key_length", (uint)c.HeadDim);
            md.Set($"{a}.attention.value_length", (uint)c.HeadDim);
        }
        if (c.RopeLinearFactor is double factor)
        {
            md.Set($"{a}.rope.scaling.type", "linear");
            md.Set($"{a}.rope.scaling.factor", (float)factor);
        }
        if (c.BosId is int bos) md.Set("tokenizer.ggml.bos_token_id", (uint)bos);
        if (c.EosId is int eos) md.Set("tokenizer.ggml.eos_token_id", (uint)eos);
        if (chatTemplate is not null) md.Set("tokenizer.chat_template", chatTemplate);
        return md;
    }

    /// <summary>
    /// The chat template of <c>tokenizer_config.json</c>: a string, or the entry named "default" of a list of
    /// named templates; null when the file or key is absent.
    /// </summary>
    public static string? ReadChatTemplate(string directory)
    {
        var path = Path.Combine(directory, TokenizerConfigFileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("chat_template", out var t)) return null;
            if (t.ValueKind == JsonValueKind.String) return t.GetString();
            if (t.ValueKind == JsonValueKind.Array)
                foreach (var e in t.EnumerateArray())
                    if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) && n.GetString() == "default"
                        && e.TryGetProperty("template", out var body) && body.ValueKind == JsonValueKind.String)
                        return body.GetString();
            return null;
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}");
        }
    }
}

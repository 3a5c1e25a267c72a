using System.Globalization;
using System.Text.Json;

namespace Baimo.Models.HuggingFace;

/// <summary>
/// The hyper-parameters of a Hugging Face <c>config.json</c> for the decoder families Baimo runs (Llama,
/// Mistral, Qwen2), and the GGUF architecture each maps to. Missing required keys are reported together.
/// </summary>
public sealed record HuggingFaceConfig
{
    public const string FileName = "config.json";

    /// <summary>The GGUF architecture: <c>llama</c> (Llama and Mistral) or <c>qwen2</c>.</summary>
    public required string Architecture { get; init; }
    /// <summary><c>model_type</c> as written (llama, mistral, qwen2).</summary>
    public required string ModelType { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int LayerCount { get; init; }
    public required int HeadCount { get; init; }
    public required int HeadCountKv { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public required int MaxPositions { get; init; }
    public required double RmsNormEps { get; init; }
    public double RopeTheta { get; init; } = 10000;
    /// <summary>Linear rope scaling factor (positions divided by it), or null.</summary>
    public double? RopeLinearFactor { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public int? BosId { get; init; }
    public int? EosId { get; init; }

    private static readonly Dictionary<string, string> ArchitectureByModelType = new(StringComparer.Ordinal)
    {
        ["llama"] = "llama",
        ["mistral"] = "llama",
        ["qwen2"] = "qwen2",
    };

    private static readonly Dictionary<string, string> ModelTypeByClass = new(StringComparer.Ordinal)
    {
        ["LlamaForCausalLM"] = "llama",
        ["MistralForCausalLM"] = "mistral",
        ["Qwen2ForCausalLM"] = "qwen2",
    };

    /// <summary>Reads <c>config.json</c> from a checkpoint directory.</summary>
    /// <exception cref="ModelLoadException">Unsupported architecture, missing or invalid keys, or invalid JSON.</exception>
    public static HuggingFaceConfig Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new ModelLoadException($"{directory} has no {FileName}; a Hugging Face model directory needs one");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new ModelLoadException($"{path} is not valid JSON: {e.Message}"); }
        using (doc) return Parse(doc.RootElement, path);
    }

    public static HuggingFaceConfig Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ModelLoadException($"{path}: the config must be a JSON object");
        string? modelType = root.TryGetProperty("model_type", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
        string? cls = root.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0
            ? a[0].GetString() : null;
        modelType ??= cls is not null && ModelTypeByClass.TryGetValue(cls, out var t) ? t : null;
        if (modelType is null || !ArchitectureByModelType.TryGetValue(modelType, out var arch))
            throw new ModelLoadException(
                $"{path}: model_type '{modelType ?? "?"}' (architectures: {cls ?? "?"}) is not supported; supported: {string.Join(", ", ArchitectureByModelType.Keys)}");

        var missing = new List<string>();
        int Req(string key)
        {
            if (Int(root, key, path) is int v) return v;
            missing.Add(key);
            return 0;
        }
        int hidden = Req("hidden_size");
        int ff = Req("intermediate_size");
        int layers = Req("num_hidden_layers");
        int heads = Req("num_attention_heads");
        int vocab = Req("vocab_size");
        double? eps = Float(root, "rms_norm_eps", path);
        if (eps is null) missing.Add("rms_norm_eps");
        if (missing.Count > 0) throw new ModelLoadException($"{path} is missing required keys: {string.Join(", ", missing)}");
        if (heads <= 0 || hidden <= 0) throw new ModelLoadException($"{path}: hidden_size {hidden} and num_attention_heads {heads} must be positive");
        int kv = Int(root, "num_key_value_heads", path) ?? heads;
        if (kv <= 0 || heads % kv != 0)
            throw new ModelLoadException($"{path}: num_attention_heads {heads} is not a multiple of num_key_value_heads {kv}");
        int headDim = Int(root, "head_dim", path) ?? (hidden % heads == 0 ? hidden / heads
            : throw new ModelLoadException($"{path}: hidden_size {hidden} is not a multiple of num_attention_heads {heads} and head_dim is not given"));
        if (headDim <= 0 || headDim % 2 != 0) throw new ModelLoadException($"{path}: head_dim {headDim} must be a positive even number");

        return new HuggingFaceConfig
        {
            Architecture = arch,
            ModelType = modelType,
            HiddenSize = hidden,
            IntermediateSize = ff,
            LayerCount = layers,
            HeadCount = heads,
            HeadCountKv = kv,
            HeadDim = headDim,
            VocabSize = vocab,
            MaxPositions = Int(root, "max_position_embeddings", path) ?? 2048,
            RmsNormEps = eps!.Value,
            RopeTheta = Float(root, "rope_theta", path) ?? 10000,
            RopeLinearFactor = RopeScaling(root, path),
            // Qwen2 ties embeddings unless told otherwise in some releases; the key decides when present.
            TieWordEmbeddings = root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True,
            BosId = Int(root, "bos_token_id", path),
            EosId = FirstInt(root, "eos_token_id", path),
        };
    }

    /// <summary>
    /// <c>rope_scaling</c>: only linear scaling maps onto Baimo's rotary (positions divided by the factor);
    /// the frequency-dependent kinds (llama3, yarn, dynamic) would compute different positions, so they are refused.
    /// </summary>
    private static double? RopeScaling(JsonElement root, string path)
    {
        if (!root.TryGetProperty("rope_scaling", out var rs) || rs.ValueKind == JsonValueKind.Null) return null;
        if (rs.ValueKind != JsonValueKind.Object) throw new ModelLoadException($"{path}: rope_scaling must be an object or null");
        string? type = rs.TryGetProperty("rope_type", out var rt) ? rt.GetString() : rs.TryGetProperty("type", out var tt) ? tt.GetString() : null;
        if (type is "default" or null) return null;
        if (type != "linear")
            throw new ModelLoadException($"{path}: rope_scaling type '{type}' is not supported (supported: linear)");
        double factor = rs.TryGetProperty("factor", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetDouble() : 1;
        if (!(factor > 0)) throw new ModelLoadException($"{path}: rope_scaling.factor {factor.ToString(CultureInfo.InvariantCulture)} must be positive");
        return factor;
    }

    private static int? Int(JsonElement root, string key, string path)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i) || i < 0)
            throw new ModelLoadException($"{path}: {key} must be a non-negative integer, found {v.GetRawText()}");
        return i;
    }

    private static int? FirstInt(JsonElement root, string key, string path)
    {
        if (root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array)
            return v.GetArrayLength() > 0 && v[0].TryGetInt32(out int i) ? i : null;
        return Int(root, key, path);
    }

    private static double? Float(JsonElement root, string key, string path)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number) throw new ModelLoadException($"{path}: {key} must be a number, found {v.GetRawText()}");
        return v.GetDouble();
    }
}

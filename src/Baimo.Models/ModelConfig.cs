using Baimo.Formats.Gguf;

namespace Baimo.Models;

/// <summary>How rotary position embedding pairs dimensions (llama.cpp's rope modes).</summary>
public enum RopeStyle
{
    /// <summary>No rotary embedding (absolute position embeddings instead, as in BERT).</summary>
    None,
    /// <summary>Adjacent pairs (x[2i], x[2i+1]) — Llama.</summary>
    Normal,
    /// <summary>Halves (x[i], x[i + n/2]) — GPT-NeoX, Qwen2.</summary>
    NeoX,
}

/// <summary>How a sequence embedding is pooled from per-token states (GGUF's <c>*.pooling_type</c> values).</summary>
public enum PoolingType
{
    None = 0,
    Mean = 1,
    Cls = 2,
    Last = 3,
}

/// <summary>
/// Hyper-parameters of a transformer, read from GGUF metadata under the architecture's prefix
/// (<c>llama.embedding_length</c>, <c>qwen2.rope.freq_base</c>, …). Missing required keys are an error
/// that lists every missing key at once.
/// </summary>
public sealed record ModelConfig
{
    public required string Architecture { get; init; }
    public required int VocabSize { get; init; }
    public required int EmbeddingLength { get; init; }
    public required int FeedForwardLength { get; init; }
    public required int BlockCount { get; init; }
    public required int HeadCount { get; init; }
    public required int HeadCountKv { get; init; }
    public required int HeadDim { get; init; }
    public required int ContextLength { get; init; }
    public required float NormEpsilon { get; init; }
    public RopeStyle Rope { get; init; }
    public int RopeDimensions { get; init; }
    public float RopeFreqBase { get; init; } = 10000f;
    /// <summary>Linear position scaling: positions are multiplied by this (1 / scaling factor).</summary>
    public float RopeFreqScale { get; init; } = 1f;
    public bool Causal { get; init; } = true;
    public PoolingType Pooling { get; init; }

    /// <summary>Key/value width per token: heads_kv · head_dim.</summary>
    public int KvDim => HeadCountKv * HeadDim;

    /// <summary>Query heads per key/value head (grouped-query attention).</summary>
    public int GroupSize => HeadCount / HeadCountKv;

    public static ModelConfig FromMetadata(GgufMetadata md, int vocabSize)
    {
        var arch = md.GetString("general.architecture")
            ?? throw new ModelLoadException("general.architecture is missing: this file does not say what model it is");
        var missing = new List<string>();
        int Req(string key)
        {
            var v = md.GetInt($"{arch}.{key}");
            if (v is null) { missing.Add($"{arch}.{key}"); return 0; }
            return checked((int)v.Value);
        }
        int embd = Req("embedding_length");
        int ff = Req("feed_forward_length");
        int blocks = Req("block_count");
        int heads = Req("attention.head_count");
        int ctx = Req("context_length");
        bool isBert = arch == "bert";
        var epsKey = isBert ? "attention.layer_norm_epsilon" : "attention.layer_norm_rms_epsilon";
        var eps = md.GetFloat($"{arch}.{epsKey}");
        if (eps is null) missing.Add($"{arch}.{epsKey}");
        if (missing.Count > 0)
            throw new ModelLoadException($"model metadata is missing required keys: {string.Join(", ", missing)}");
        if (heads <= 0 || embd <= 0 || embd % heads != 0)
            throw new ModelLoadException($"{arch}.embedding_length {embd} is not a multiple of {arch}.attention.head_count {heads}");
        int headsKv = (int)(md.GetInt($"{arch}.attention.head_count_kv") ?? heads);
        if (headsKv <= 0 || heads % headsKv != 0)
            throw new ModelLoadException($"{arch}.attention.head_count {heads} is not a multiple of head_count_kv {headsKv}");
        int headDim = (int)(md.GetInt($"{arch}.attention.key_length") ?? embd / heads);

        var scalingType = md.GetString($"{arch}.rope.scaling.type");
        float freqScale = 1f;
        if (scalingType is "linear")
        {
            var factor = md.GetFloat($"{arch}.rope.scaling.factor") ?? 1.0;
            if (factor > 0) freqScale = (float)(1.0 / factor);
        }
        else if (scalingType is not (null or "none"))
            throw new ModelLoadException($"{arch}.rope.scaling.type '{scalingType}' is not supported (supported: none, linear)");
        if (md.GetFloat($"{arch}.rope.scale_linear") is double lin && lin > 0) freqScale = (float)(1.0 / lin);

        return new ModelConfig
        {
            Architecture = arch,
            VocabSize = vocabSize,
            EmbeddingLength = embd,
            FeedForwardLength = ff,
            BlockCount = blocks,
            HeadCount = heads,
            HeadCountKv = headsKv,
            HeadDim = headDim,
            ContextLength = ctx,
            NormEpsilon = (float)eps!.Value,
            Rope = arch switch { "bert" => RopeStyle.None, "qwen2" => RopeStyle.NeoX, _ => RopeStyle.Normal },
            RopeDimensions = (int)(md.GetInt($"{arch}.rope.dimension_count") ?? headDim),
            RopeFreqBase = (float)(md.GetFloat($"{arch}.rope.freq_base") ?? 10000.0),
            RopeFreqScale = freqScale,
            Causal = md.GetBool($"{arch}.attention.causal") ?? !isBert,
            Pooling = (PoolingType)(md.GetInt($"{arch}.pooling_type") ?? (isBert ? (long)PoolingType.Cls : 0)),
        };
    }
}

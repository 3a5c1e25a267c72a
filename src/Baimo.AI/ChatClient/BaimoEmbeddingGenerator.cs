using Baimo.Models;
using MEAI = Microsoft.Extensions.AI;

namespace Baimo.AI;

/// <summary>
/// An <see cref="MEAI.IEmbeddingGenerator{TInput,TEmbedding}"/> over a BERT-style <see cref="EncoderModel"/>:
/// each text's pooled, L2-normalised sentence embedding. Texts are embedded one after another (the model
/// uses every core for each), so concurrent callers take turns.
/// </summary>
public sealed class BaimoEmbeddingGenerator : MEAI.IEmbeddingGenerator<string, MEAI.Embedding<float>>
{
    private readonly EncoderModel _model;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly MEAI.EmbeddingGeneratorMetadata _metadata;

    public BaimoEmbeddingGenerator(EncoderModel model, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        ModelId = modelId ?? Path.GetFileNameWithoutExtension(model.Path);
        _metadata = new MEAI.EmbeddingGeneratorMetadata("baimo", null, ModelId, model.Config.EmbeddingLength);
    }

    public string ModelId { get; }
    public EncoderModel Model => _model;
    public int Dimensions => _model.Config.EmbeddingLength;

    /// <summary>The tokens a text is embedded from (with [CLS]/[SEP]).</summary>
    public int[] Tokenize(string text) => _model.Tokenizer.Encode(text, addSpecial: true);

    public async Task<MEAI.GeneratedEmbeddings<MEAI.Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        MEAI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } d && d != Dimensions)
            throw new ArgumentException($"dimensions {d} is not supported: {ModelId} gives {Dimensions}-dimensional embeddings");
        var result = new MEAI.GeneratedEmbeddings<MEAI.Embedding<float>>();
        long tokens = 0;
        var created = DateTimeOffset.UtcNow;
        foreach (var text in values)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(values));
            var ids = Tokenize(text);
            tokens += ids.Length;
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            float[] vector;
            try { vector = await Task.Run(() => _model.Embed(ids), cancellationToken).ConfigureAwait(false); }
            finally { _turn.Release(); }
            result.Add(new MEAI.Embedding<float>(vector) { ModelId = ModelId, CreatedAt = created });
        }
        result.Usage = new MEAI.UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(MEAI.EmbeddingGeneratorMetadata) ? _metadata
        : serviceType == typeof(EncoderModel) ? _model
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>The model belongs to whoever loaded it.</summary>
    public void Dispose() => _turn.Dispose();
}

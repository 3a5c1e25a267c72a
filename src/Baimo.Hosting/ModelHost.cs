using Baimo.AI;
using Baimo.Models;

namespace Baimo.Hosting;

/// <summary>
/// The loaded models of a server: the decoder with its <see cref="InferenceEngine"/> and chat client, and the
/// optional embedding model with its generator. Models are named by their file name without <c>.gguf</c>.
/// </summary>
public sealed class ModelHost : IAsyncDisposable
{
    private readonly Func<string, bool>? _alsoMatches;

    private ModelHost(DecoderModel model, InferenceEngine engine, EncoderModel? embedder, ServeOptions options, string? modelId, Func<string, bool>? alsoMatches)
    {
        Options = options;
        Model = model;
        Engine = engine;
        ModelId = modelId ?? NameOf(model.Path);
        _alsoMatches = alsoMatches;
        ChatClient = new BaimoChatClient(engine, new BaimoChatClientOptions { ModelId = ModelId, Timeout = options.Timeout });
        Embedder = embedder;
        if (embedder != null) EmbeddingGenerator = new BaimoEmbeddingGenerator(embedder, NameOf(embedder.Path));
        LoadedAt = DateTimeOffset.UtcNow;
    }

    public ServeOptions Options { get; }
    public string ModelId { get; }
    public DecoderModel Model { get; }
    public InferenceEngine Engine { get; }
    public BaimoChatClient ChatClient { get; }
    public EncoderModel? Embedder { get; }
    public BaimoEmbeddingGenerator? EmbeddingGenerator { get; }
    public DateTimeOffset LoadedAt { get; }
    /// <summary>How long loading took.</summary>
    public TimeSpan LoadTime { get; private init; }

    /// <summary>Loads the model(s) named by the options and starts the engine.</summary>
    public static ModelHost Load(ServeOptions options) => Load(options, null, null);

    /// <summary>
    /// Loads the model(s) under a given name (a store name rather than the file's); <paramref name="alsoMatches"/>
    /// accepts the other spellings of that name the store resolves (case, <c>:latest</c>).
    /// </summary>
    public static ModelHost Load(ServeOptions options, string? modelId, Func<string, bool>? alsoMatches)
    {
        options.Validate();
        if (string.IsNullOrWhiteSpace(options.ModelPath)) throw new ArgumentException("a model is required");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var model = ModelRegistry.LoadDecoder(options.ModelPath);
        EncoderModel? embedder = null;
        try
        {
            if (options.EmbeddingModelPath != null) embedder = ModelRegistry.LoadEncoder(options.EmbeddingModelPath);
            // Repack now, so that the first request is not the one that waits for it.
            model.PackWeights(options.Threads);
            int ctx = options.ContextLength > 0 ? options.ContextLength : Math.Min(model.Config.ContextLength, 4096);
            var engine = new InferenceEngine(model, new EngineOptions
            {
                Slots = options.Parallel,
                ContextLength = ctx,
                Threads = options.Threads,
                MaxQueue = options.MaxQueue,
            });
            return new ModelHost(model, engine, embedder, options, modelId, alsoMatches) { LoadTime = started.Elapsed };
        }
        catch
        {
            embedder?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>Whether a requested model name means the chat model (null or empty means it too).</summary>
    public bool IsChatModel(string? name) => string.IsNullOrEmpty(name) || Matches(name, ModelId) || _alsoMatches?.Invoke(name) == true;

    /// <summary>Whether a requested model name means the embedding model (null or empty means it too).</summary>
    public bool IsEmbeddingModel(string? name) =>
        EmbeddingGenerator != null && (string.IsNullOrEmpty(name) || Matches(name, EmbeddingGenerator.ModelId));

    /// <summary>Names of every served model.</summary>
    public IEnumerable<string> ModelIds =>
        EmbeddingGenerator == null ? [ModelId] : [ModelId, EmbeddingGenerator.ModelId];

    /// <summary>A model name matches with or without <c>.gguf</c> and with Ollama's <c>:latest</c> tag.</summary>
    private static bool Matches(string requested, string id)
    {
        var r = requested.EndsWith(":latest", StringComparison.Ordinal) ? requested[..^7] : requested;
        if (r.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)) r = r[..^5];
        return string.Equals(r, id, StringComparison.Ordinal);
    }

    private static string NameOf(string path) => Path.GetFileNameWithoutExtension(path);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        EmbeddingGenerator?.Dispose();
        Embedder?.Dispose();
        Model.Dispose();
    }
}

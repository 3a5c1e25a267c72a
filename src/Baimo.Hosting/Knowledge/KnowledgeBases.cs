using Baimo.AI;
using Baimo.Hosting.Store;
using Baimo.Knowledge;
using Baimo.Knowledge.Catalog;
using Baimo.Models;

namespace Baimo.Hosting.Knowledge;

/// <summary>
/// The knowledge bases a server answers from: opened by name on first use and kept open (a <see cref="KnowledgeBase"/>
/// is thread-safe, and reopening per request would reload its vector index each time). Each embedding model is
/// loaded once and shared by every base built with it. Disposing closes the bases and unloads the models.
/// </summary>
public sealed class KnowledgeBases : IDisposable
{
    private readonly ModelStore _store;
    private readonly Dictionary<string, KnowledgeBase> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BaimoEmbeddingGenerator> _embedders = new(StringComparer.Ordinal);
    // One lock for opening: opening is rare and loading a model twice would waste its memory.
    private readonly Lock _lock = new();
    private bool _disposed;

    public KnowledgeBases(string? root, ModelStore? store = null)
    {
        Catalog = root is null ? KnowledgeCatalog.Default() : new KnowledgeCatalog(root);
        _store = store ?? new ModelStore(StoreLocation.Default());
    }

    public KnowledgeCatalog Catalog { get; }

    /// <summary>The names of every base in the catalog, sorted.</summary>
    public IReadOnlyList<string> Names() => Catalog.Names();

    /// <summary>The open base of that name, opening it (and loading its embedding model) on first use.</summary>
    /// <exception cref="KnowledgeBaseNotFoundException">No base has that name.</exception>
    public KnowledgeBase Get(string name)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_open.TryGetValue(name, out var kb)) return kb;
            var path = PathOf(name);
            string? model;
            using (var probe = KnowledgeBase.Open(path)) model = probe.EmbeddingModel;
            kb = KnowledgeBase.Open(path, model is null ? null : Embedder(name, model));
            _open.Add(name, kb);
            return kb;
        }
    }

    /// <summary>
    /// What a listing shows of a base. A base not yet open is read without its embedding model: listing should
    /// not load models that no search has asked for.
    /// </summary>
    public KnowledgeBaseSummary Describe(string name)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_open.TryGetValue(name, out var kb)) return Summary(name, kb);
            using var probe = KnowledgeBase.Open(PathOf(name));
            return Summary(name, probe);
        }
    }

    private static KnowledgeBaseSummary Summary(string name, KnowledgeBase kb)
    {
        var docs = kb.Documents();
        return new KnowledgeBaseSummary(name, docs.Count, docs.Sum(d => d.Chunks), kb.EmbeddingModel, kb.DefaultSearchMode);
    }

    private string PathOf(string name)
    {
        string? path = null;
        try { path = Catalog.PathOf(name); }
        catch (ArgumentException) { }
        if (path is not null && File.Exists(path)) return path;
        var names = Catalog.Names();
        throw new KnowledgeBaseNotFoundException(names.Count == 0
            ? $"no knowledge base '{name}': the server's knowledge folder {Catalog.Root} holds none"
            : $"no knowledge base '{name}' (there are: {string.Join(", ", names)})");
    }

    /// <summary>The model is named as the base records it, so the base's check that vectors match passes.</summary>
    private BaimoEmbeddingGenerator Embedder(string name, string model)
    {
        if (_embedders.TryGetValue(model, out var generator)) return generator;
        EncoderModel encoder;
        // Serving the base without its model would silently turn vector search into a 400 that blames the base.
        try { encoder = ModelRegistry.LoadEncoder(EmbeddingModelFiles.Resolve(model, _store)); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ModelLoadException)
        {
            throw new KnowledgeBaseUnavailableException(
                $"the knowledge base '{name}' needs its embedding model '{model}', which this server cannot load: {e.Message}", e);
        }
        generator = new BaimoEmbeddingGenerator(encoder, model);
        _embedders.Add(model, generator);
        return generator;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var kb in _open.Values) kb.Dispose();
            foreach (var g in _embedders.Values)
            {
                g.Dispose();
                g.Model.Dispose();
            }
            _open.Clear();
            _embedders.Clear();
        }
    }
}

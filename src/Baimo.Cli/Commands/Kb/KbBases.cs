using Baimo.AI;
using Baimo.Knowledge;
using Baimo.Knowledge.Catalog;
using Baimo.Models;
using Microsoft.Extensions.AI;

namespace Baimo.Cli.Commands.Kb;

/// <summary>Opening a named base with the embedding model it was built with.</summary>
internal static class KbBases
{
    public static KnowledgeCatalog Catalog() => KnowledgeCatalog.Default();

    public static string PathOf(string name)
    {
        try { return Catalog().PathOf(name); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>The base's file, or a usage error naming the bases that do exist.</summary>
    public static string ExistingPath(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path)) return path;
        var names = Catalog().Names();
        throw new UsageException(names.Count == 0
            ? $"no knowledge base '{name}'; create one with 'baimo kb create {name}'"
            : $"no knowledge base '{name}' (there are: {string.Join(", ", names)})");
    }

    /// <summary>
    /// Opens a base. When it was built with an embedding model that model is loaded too (vector and hybrid search
    /// and adding documents need it); <paramref name="withEmbeddings"/> false skips that for full-text-only work.
    /// </summary>
    public static OpenedBase Open(string name, bool withEmbeddings = true)
    {
        var path = ExistingPath(name);
        string? model;
        using (var probe = KnowledgeBase.Open(path)) model = probe.EmbeddingModel;
        if (!withEmbeddings || model == null) return new OpenedBase(KnowledgeBase.Open(path), null);
        var embedder = LoadEmbedder(model);
        try { return new OpenedBase(KnowledgeBase.Open(path, embedder), embedder); }
        catch { embedder.Model.Dispose(); throw; }
    }

    /// <summary>An embedding model by path or store name; its id is what the base records.</summary>
    public static BaimoEmbeddingGenerator LoadEmbedder(string model)
    {
        var path = ModelPaths.Resolve(model);
        var encoder = ModelRegistry.LoadEncoder(path);
        return new BaimoEmbeddingGenerator(encoder, model);
    }
}

/// <summary>A base and the embedding model loaded for it; disposing closes both.</summary>
internal sealed class OpenedBase(KnowledgeBase kb, BaimoEmbeddingGenerator? embedder) : IDisposable
{
    public KnowledgeBase Base { get; } = kb;
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder { get; } = embedder;

    public void Dispose()
    {
        Base.Dispose();
        embedder?.Model.Dispose();
    }
}

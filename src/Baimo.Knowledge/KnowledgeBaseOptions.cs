using Baimo.Knowledge.Chunking;
using Baimo.Knowledge.Retrieval;
using Baimo.Knowledge.Analysis;
using Microsoft.Extensions.AI;

namespace Baimo.Knowledge;

/// <summary>Settings of a new knowledge base. Chunking, the embedding model and the default mode are stored in the file.</summary>
public sealed record KnowledgeBaseOptions
{
    /// <summary>Chunk size and overlap; every document of the base is cut with these.</summary>
    public ChunkingOptions Chunking { get; init; } = new();

    /// <summary>Which terms CJK text is indexed by (stored; queries are analysed the same way).</summary>
    public CjkTerms CjkTerms { get; init; } = CjkTerms.WordsAndBigrams;

    /// <summary>Embeds chunks and queries; null makes a full-text-only base.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; init; }

    /// <summary>
    /// The name recorded for the embedding model; defaults to the generator's metadata model id. Opening the base
    /// with a generator reporting another model is refused, because old and new vectors would not be comparable.
    /// </summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>
    /// What <see cref="SearchMode.Default"/> means for this base. Full text unless chosen otherwise: hybrid only helps
    /// when the embedding model is good for the base's language and domain, which has to be measured (see
    /// docs/knowledge.md), and a weak model makes fusion worse than full text alone.
    /// </summary>
    public SearchMode DefaultSearchMode { get; init; } = SearchMode.FullText;

    /// <summary>Ranking constants (not stored; pass them again when opening).</summary>
    public RetrievalOptions Retrieval { get; init; } = new();
}

namespace Baimo.Knowledge.Retrieval;

/// <summary>Which retrievers answer a search.</summary>
public enum SearchMode
{
    /// <summary>The base's configured default (full text unless the base was created with another).</summary>
    Default,
    /// <summary>BM25 over segmented terms only.</summary>
    FullText,
    /// <summary>Cosine similarity of embeddings only; needs an embedding model.</summary>
    Vector,
    /// <summary>Both, fused by weighted reciprocal rank.</summary>
    Hybrid,
}

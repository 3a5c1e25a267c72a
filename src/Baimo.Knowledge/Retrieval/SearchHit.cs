namespace Baimo.Knowledge.Retrieval;

/// <summary>
/// One retrieved chunk with where it came from and how it scored. Scores of the separate retrievers are kept
/// so <c>--json</c> can show why a chunk ranked where it did; a retriever that did not find it leaves its score null.
/// </summary>
/// <param name="Rank">1-based position in the final ranking.</param>
/// <param name="Score">The fused score the ranking is sorted by (higher is better).</param>
/// <param name="ChunkId">Stable id of the chunk in its knowledge base.</param>
/// <param name="Source">The document's path relative to the folder it was added from (or its file name).</param>
/// <param name="Location">"page 3", "sheet Sales", "slide 4", or null for flat formats.</param>
/// <param name="HeadingPath">Headings above the chunk, outermost first (empty when the document has none).</param>
/// <param name="Text">The chunk's text as it goes into a prompt.</param>
/// <param name="Start">Character offset of the chunk in the document's extracted text.</param>
/// <param name="Length">Number of characters of the chunk in the document's extracted text.</param>
/// <param name="FullTextScore">BM25 score, or null when full-text search did not return the chunk.</param>
/// <param name="VectorScore">Cosine similarity, or null when vector search did not return the chunk.</param>
public sealed record SearchHit(
    int Rank,
    double Score,
    long ChunkId,
    string Source,
    string? Location,
    IReadOnlyList<string> HeadingPath,
    string Text,
    int Start,
    int Length,
    double? FullTextScore,
    double? VectorScore);

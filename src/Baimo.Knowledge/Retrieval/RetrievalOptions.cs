namespace Baimo.Knowledge.Retrieval;

/// <summary>
/// Ranking constants. Hybrid search uses weighted reciprocal rank fusion: a chunk scores Σ weight / (K + rank) over
/// the retrievers that returned it; K damps the difference between the first few ranks and the weights say how much
/// each retriever is trusted.
/// </summary>
public sealed record RetrievalOptions
{
    /// <summary>BM25 weight of the document title and heading path relative to the chunk's own text (1).</summary>
    public double HeadingWeight { get; init; } = 1.0;

    /// <summary>The RRF constant (60 in the original paper).</summary>
    public double K { get; init; } = 60;

    public double FullTextWeight { get; init; } = 1.0;

    public double VectorWeight { get; init; } = 1.0;

    /// <summary>Candidates each retriever contributes before fusion, as a multiple of the requested k (at least 50).</summary>
    public int CandidateFactor { get; init; } = 4;
}

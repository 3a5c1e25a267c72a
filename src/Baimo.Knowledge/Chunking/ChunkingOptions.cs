namespace Baimo.Knowledge.Chunking;

/// <summary>How documents are cut into chunks; stored with a knowledge base so every document is cut alike.</summary>
public sealed record ChunkingOptions
{
    /// <summary>Target size of a chunk in approximate tokens (see <see cref="TokenEstimator"/>).</summary>
    public int ChunkTokens { get; init; } = 240;

    /// <summary>Tokens of trailing sentences repeated at the start of the next chunk when a passage is cut.</summary>
    public int OverlapTokens { get; init; } = 40;

    /// <summary>Throws when the sizes cannot work together.</summary>
    public void Validate()
    {
        if (ChunkTokens < 16) throw new ArgumentOutOfRangeException(nameof(ChunkTokens), ChunkTokens, "a chunk needs at least 16 tokens");
        if (OverlapTokens < 0 || OverlapTokens >= ChunkTokens)
            throw new ArgumentOutOfRangeException(nameof(OverlapTokens), OverlapTokens, "overlap must be at least 0 and below the chunk size");
    }
}

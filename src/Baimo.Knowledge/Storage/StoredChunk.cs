namespace Baimo.Knowledge.Storage;

/// <summary>A chunk row with its document's source, as retrieval reads it back.</summary>
internal sealed record StoredChunk(
    long Id, string Source, string? Location, IReadOnlyList<string> HeadingPath, string Text, int Start, int Length);

/// <summary>A chunk ready to be written: its text, offsets, and the pre-segmented terms for the full-text index.</summary>
internal sealed record ChunkRow(
    int Ordinal, string Text, int Start, int Length, string? Location, IReadOnlyList<string> HeadingPath,
    string HeadTerms, string BodyTerms, float[]? Vector);

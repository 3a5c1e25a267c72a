namespace Baimo.Knowledge;

/// <summary>A document held by a knowledge base, as <see cref="KnowledgeBase.Documents"/> lists it.</summary>
/// <param name="Source">The document's path relative to the folder it was added from (or its file name); the key.</param>
/// <param name="ContentHash">Hash of the file's bytes as given when it was added (hex SHA-256 by convention).</param>
/// <param name="Size">File size in bytes (0 when unknown).</param>
/// <param name="Modified">Last-write time of the file, when known.</param>
/// <param name="Reader">Name of the reader that extracted it, when known.</param>
/// <param name="Pages">Pages, sheets or slides read.</param>
/// <param name="Title">The document's title, when the format has one.</param>
/// <param name="Chunks">Number of chunks stored.</param>
/// <param name="Added">When this version of the document was stored.</param>
public sealed record DocumentInfo(
    string Source,
    string ContentHash,
    long Size,
    DateTimeOffset? Modified,
    string? Reader,
    int Pages,
    string? Title,
    int Chunks,
    DateTimeOffset Added);

/// <summary>File facts stored with a document; all optional.</summary>
/// <param name="Size">File size in bytes.</param>
/// <param name="Modified">Last-write time.</param>
/// <param name="Reader">Name of the reader that extracted the text (e.g. "pdf").</param>
public sealed record DocumentMetadata(long Size = 0, DateTimeOffset? Modified = null, string? Reader = null);

/// <summary>What <see cref="KnowledgeBase.AddDocumentAsync"/> did.</summary>
public enum IngestOutcome
{
    /// <summary>The source was new and was stored.</summary>
    Added,
    /// <summary>The source existed with another hash; its chunks were replaced.</summary>
    Replaced,
    /// <summary>The source existed with the same hash; nothing was written.</summary>
    Unchanged,
}

/// <summary>The outcome of adding one document.</summary>
/// <param name="Source">The document's key.</param>
/// <param name="Outcome">Added, replaced or left unchanged.</param>
/// <param name="Chunks">Chunks now stored for the document.</param>
/// <param name="Embedded">Chunks embedded by this call (0 when unchanged or when the base has no embedding model).</param>
public sealed record IngestResult(string Source, IngestOutcome Outcome, int Chunks, int Embedded);

using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Ingestion;

/// <summary>What ingestion needs from a knowledge base: the known documents and their hashes, add/replace, remove.</summary>
public interface IIngestTarget
{
    /// <summary>Source name → content sha256 (lower-case hex) of every document in the base.</summary>
    IReadOnlyDictionary<string, string> DocumentHashes();

    /// <summary>
    /// Adds or replaces one document atomically (<see cref="SourceFile.Source"/> is its key); returns the number of
    /// chunks it now has. <paramref name="reader"/> names the format that extracted it ("pdf", "docx" …).
    /// </summary>
    Task<int> AddDocumentAsync(SourceFile file, string contentHash, ExtractedDocument document, string reader, CancellationToken cancellationToken);

    /// <summary>Removes one document and its chunks.</summary>
    Task RemoveDocumentAsync(string source, CancellationToken cancellationToken);
}

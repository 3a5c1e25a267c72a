using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Ingestion;

/// <summary>What ingestion needs from a knowledge base: the known documents and their hashes, add/replace, remove.</summary>
public interface IIngestTarget
{
    /// <summary>Source name → content sha256 (lower-case hex) of every document in the base.</summary>
    IReadOnlyDictionary<string, string> DocumentHashes();

    /// <summary>Adds or replaces one document atomically; returns the number of chunks it now has.</summary>
    Task<int> AddDocumentAsync(string source, string contentHash, ExtractedDocument document, CancellationToken cancellationToken);

    /// <summary>Removes one document and its chunks.</summary>
    Task RemoveDocumentAsync(string source, CancellationToken cancellationToken);
}

using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Ingestion;

/// <summary>Ingestion into a <see cref="KnowledgeBase"/>, with each file's size and time stored beside its chunks.</summary>
public sealed class KnowledgeBaseTarget(KnowledgeBase knowledgeBase) : IIngestTarget
{
    public IReadOnlyDictionary<string, string> DocumentHashes() =>
        knowledgeBase.Documents().ToDictionary(d => d.Source, d => d.ContentHash, StringComparer.Ordinal);

    public async Task<int> AddDocumentAsync(SourceFile file, string contentHash, ExtractedDocument document, string reader, CancellationToken cancellationToken)
    {
        var info = new FileInfo(file.Path);
        var metadata = new DocumentMetadata(info.Exists ? info.Length : 0, info.Exists ? info.LastWriteTimeUtc : null, reader);
        var result = await knowledgeBase.AddDocumentAsync(file.Source, contentHash, document, metadata, cancellationToken).ConfigureAwait(false);
        return result.Chunks;
    }

    public Task RemoveDocumentAsync(string source, CancellationToken cancellationToken)
    {
        knowledgeBase.RemoveDocument(source);
        return Task.CompletedTask;
    }
}

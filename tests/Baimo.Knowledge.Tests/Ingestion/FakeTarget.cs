using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Ingestion;

namespace Baimo.Knowledge.Tests.Ingestion;

/// <summary>An in-memory base that records what ingestion asked of it.</summary>
internal sealed class FakeTarget : IIngestTarget
{
    public Dictionary<string, (string Hash, ExtractedDocument Doc)> Docs { get; } = new();
    public List<string> Writes { get; } = [];

    public IReadOnlyDictionary<string, string> DocumentHashes() => Docs.ToDictionary(d => d.Key, d => d.Value.Hash);

    public Task<int> AddDocumentAsync(SourceFile file, string contentHash, ExtractedDocument document, string reader, CancellationToken cancellationToken)
    {
        Docs[file.Source] = (contentHash, document);
        Writes.Add(file.Source);
        return Task.FromResult(document.Blocks.Count);
    }

    public Task RemoveDocumentAsync(string source, CancellationToken cancellationToken)
    {
        Docs.Remove(source);
        return Task.CompletedTask;
    }
}

/// <summary>One paragraph per non-empty line; a file containing "BROKEN" cannot be read.</summary>
internal sealed class LineReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".txt"];

    public ExtractedDocument Read(Stream content, string fileName)
    {
        var text = new StreamReader(content).ReadToEnd();
        if (text.Contains("BROKEN")) throw new DocumentReadException(fileName, "damaged on purpose");
        var blocks = new List<DocumentBlock>();
        var joined = "";
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (joined.Length > 0) joined += "\n\n";
            blocks.Add(new DocumentBlock(BlockKind.Paragraph, line, joined.Length, line.Length));
            joined += line;
        }
        return new ExtractedDocument(joined, blocks, text.Length == 0 ? ["no text"] : []);
    }
}

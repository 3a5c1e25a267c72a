using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>.csv/.tsv: one table; the first non-empty record is the header, repeated with each following row.</summary>
public sealed class CsvReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".csv", ".tsv"];

    public ExtractedDocument Read(Stream content, string fileName)
    {
        var text = TextDecoder.ReadAll(content, fileName);
        char delimiter = fileName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : CsvParser.DetectDelimiter(text);
        var blocks = new BlockBuilder();
        string? header = null;
        foreach (var record in CsvParser.Parse(text, delimiter))
        {
            var joined = BlockBuilder.JoinCells(record);
            if (joined.Length == 0) continue;
            if (header is null)
            {
                header = joined;
                blocks.AddRow(record, null);
            }
            else blocks.AddRow(record, header);
        }
        return blocks.Build();
    }
}

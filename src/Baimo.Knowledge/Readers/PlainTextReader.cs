using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .txt: paragraphs are separated by blank lines; lines inside a paragraph are joined (hard-wrapped prose is
/// the common case, and the chunker needs whole sentences).
/// </summary>
public sealed class PlainTextReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".txt", ".text", ".log"];

    public ExtractedDocument Read(Stream content, string fileName)
    {
        var text = TextDecoder.ReadAll(content, fileName);
        var blocks = new BlockBuilder();
        foreach (var paragraph in SplitParagraphs(text))
            blocks.Add(BlockKind.Paragraph, paragraph);
        return blocks.Build();
    }

    /// <summary>Splits on lines that are empty or whitespace only.</summary>
    internal static IEnumerable<string> SplitParagraphs(string text)
    {
        var current = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            if (line.All(Whitespace.IsSpace))
            {
                if (current.Count > 0) yield return string.Join('\n', current);
                current.Clear();
            }
            else current.Add(line);
        }
        if (current.Count > 0) yield return string.Join('\n', current);
    }
}

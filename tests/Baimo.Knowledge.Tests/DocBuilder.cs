using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Tests;

/// <summary>Builds an ExtractedDocument the way readers do: block texts joined by blank lines, offsets into the whole.</summary>
public sealed class DocBuilder
{
    private readonly List<DocumentBlock> _blocks = [];
    private readonly System.Text.StringBuilder _text = new();

    public DocBuilder Heading(string text, int level, string? location = null) => Add(BlockKind.Heading, text, level, location);

    public DocBuilder Paragraph(string text, string? location = null) => Add(BlockKind.Paragraph, text, 0, location);

    public DocBuilder Item(string text, int level = 0) => Add(BlockKind.ListItem, text, level, null);

    public DocBuilder Code(string text) => Add(BlockKind.Code, text, 0, null);

    public DocBuilder Row(string text, string header, string? location = null) => Add(BlockKind.TableRow, text, 0, location, header);

    public ExtractedDocument Build(string? title = null) => new(_text.ToString(), _blocks.ToArray(), [], title);

    private DocBuilder Add(BlockKind kind, string text, int level, string? location, string? header = null)
    {
        if (_text.Length > 0) _text.Append("\n\n");
        _blocks.Add(new DocumentBlock(kind, text, _text.Length, text.Length, level, location, header));
        _text.Append(text);
        return this;
    }
}

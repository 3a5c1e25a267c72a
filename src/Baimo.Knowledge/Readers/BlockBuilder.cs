using System.Text;
using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// Collects blocks in reading order and lays them out as one text with "\n\n" between blocks, so every reader
/// honours the offset contract (<c>Text.Substring(Start, Length) == block.Text</c>) by construction.
/// </summary>
public sealed class BlockBuilder
{
    readonly StringBuilder _text = new();
    readonly List<DocumentBlock> _blocks = [];
    readonly List<string> _warnings = [];

    public int Count => _blocks.Count;

    public IReadOnlyList<DocumentBlock> Blocks => _blocks;

    /// <summary>Adds a block after normalising its whitespace; text that normalises to nothing is dropped.</summary>
    public void Add(BlockKind kind, string text, int level = 0, string? location = null, string? tableHeader = null)
    {
        var normalised = kind == BlockKind.Code ? Whitespace.Preformatted(text) : Whitespace.Collapse(text);
        if (normalised.Length == 0) return;
        if (_text.Length > 0) _text.Append("\n\n");
        _blocks.Add(new DocumentBlock(kind, normalised, _text.Length, normalised.Length, level, location, tableHeader));
        _text.Append(normalised);
    }

    /// <summary>Adds one table row from its cells; the header is passed already joined (see <see cref="JoinCells"/>).</summary>
    public void AddRow(IEnumerable<string> cells, string? header, string? location = null)
    {
        var row = JoinCells(cells);
        if (row.Length > 0) Add(BlockKind.TableRow, row, 0, location, header);
    }

    /// <summary>
    /// Cells normalised and joined by " | "; trailing empty cells are cut (spreadsheets pad rows) but inner empty
    /// cells stay so values keep lining up with the header. An all-empty row yields "".
    /// </summary>
    public static string JoinCells(IEnumerable<string> cells)
    {
        var list = cells.Select(Whitespace.Collapse).ToList();
        while (list.Count > 0 && list[^1].Length == 0) list.RemoveAt(list.Count - 1);
        // Collapsed again so an empty cell reads "a | | b", exactly as the row's block text will.
        return list.Count == 0 ? "" : Whitespace.Collapse(string.Join(" | ", list));
    }

    public void Warn(string warning) => _warnings.Add(warning);

    public ExtractedDocument Build(string? title = null, int pages = 1)
    {
        var t = title is null ? null : Whitespace.Collapse(title);
        return new ExtractedDocument(_text.ToString(), _blocks.ToArray(), _warnings.ToArray(),
            string.IsNullOrEmpty(t) ? null : t, pages);
    }
}

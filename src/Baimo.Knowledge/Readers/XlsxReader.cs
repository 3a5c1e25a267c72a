using Baimo.Knowledge.Documents;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .xlsx: every worksheet in workbook order, Location "sheet NAME". The sheet name is a level-1 heading (it is
/// what people search for: "the Sales sheet"); the first non-empty row is the table header, emitted once as a
/// row and then repeated with every following row so a chunk cut from the middle of a sheet still says what
/// its columns mean. Gaps between cells are kept as empty cells to stay aligned with the header.
/// </summary>
public sealed class XlsxReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".xlsx", ".xlsm"];

    public ExtractedDocument Read(Stream content, string fileName) =>
        OfficePackage.Read(content, fileName, ".xlsx", s => SpreadsheetDocument.Open(s, false), Extract);

    static ExtractedDocument Extract(SpreadsheetDocument doc)
    {
        var workbook = doc.WorkbookPart ?? throw new InvalidDataException("the package has no workbook");
        var cellText = new XlsxCellText(workbook.SharedStringTablePart?.SharedStringTable, workbook.WorkbookStylesPart?.Stylesheet);
        var blocks = new BlockBuilder();
        int sheets = 0;
        foreach (var sheet in workbook.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            if (sheet.Id?.Value is not { } rid || workbook.GetPartById(rid) is not WorksheetPart part) continue; // chart sheets
            sheets++;
            var name = sheet.Name?.Value ?? $"Sheet{sheets}";
            var location = $"sheet {name}";
            blocks.Add(BlockKind.Heading, name, 1, location);
            var rows = (part.Worksheet?.GetFirstChild<SheetData>()?.Elements<Row>() ?? [])
                .Select(r => RowCells(r, cellText))
                .Where(cells => cells.Any(c => !string.IsNullOrWhiteSpace(c)))
                .ToList();
            // Tables often start in column B or further right; columns empty in every row carry nothing.
            int skip = rows.Count == 0 ? 0 : rows.Min(cells => cells.FindIndex(c => !string.IsNullOrWhiteSpace(c)));
            string? header = null;
            foreach (var cells in rows.Select(r => r.Skip(skip).ToList()))
            {
                var joined = BlockBuilder.JoinCells(cells);
                if (joined.Length == 0) continue;
                if (header is null)
                {
                    header = joined;
                    blocks.AddRow(cells, null, location);
                }
                else blocks.AddRow(cells, header, location);
            }
        }
        var title = doc.PackageProperties.Title;
        return blocks.Build(string.IsNullOrWhiteSpace(title) ? null : title, Math.Max(1, sheets));
    }

    /// <summary>Cells by column (from the "C7" reference); a cell without a reference follows the previous one.</summary>
    static List<string> RowCells(Row row, XlsxCellText cellText)
    {
        var cells = new List<string>();
        foreach (var cell in row.Elements<Cell>())
        {
            int column = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
            // Columns past a few thousand are a damaged reference, not data; do not pad millions of cells.
            if (column > 16384) continue;
            while (cells.Count < column) cells.Add("");
            var text = cellText.Text(cell);
            if (column < cells.Count) cells[column] = text;
            else cells.Add(text);
        }
        return cells;
    }

    static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        int n = 0, i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++) n = n * 26 + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
        return i == 0 ? null : n - 1;
    }
}

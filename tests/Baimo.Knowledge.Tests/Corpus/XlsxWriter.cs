using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>
/// Writes .xlsx workbooks: strings go to the shared-string table (as Excel does), numbers as numbers,
/// DateTime values as day serials with a date style, and <see cref="Percent"/> values with a percent style.
/// A null cell is left out, so rows have gaps as real sheets do.
/// </summary>
public static class XlsxWriter
{
    public readonly record struct Percent(double Value);

    public static byte[] Write(IEnumerable<(string Name, object?[][] Rows)> sheets, string? title = null)
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook(new Sheets());
            var strings = wb.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var index = new Dictionary<string, int>();
            var stylesPart = wb.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = new Stylesheet(
                new Fonts(new Font()), new Fills(new Fill()), new Borders(new Border()),
                new CellFormats(
                    new CellFormat { NumberFormatId = 0 },
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },   // date
                    new CellFormat { NumberFormatId = 10, ApplyNumberFormat = true })); // 0.00%

            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var part = wb.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (int r = 0; r < rows.Length; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (int c = 0; c < rows[r].Length; c++)
                        if (rows[r][c] is { } value) row.Append(Cell(value, $"{Column(c)}{r + 1}", strings.SharedStringTable, index));
                    data.Append(row);
                }
                part.Worksheet = new Worksheet(data);
                wb.Workbook.Sheets!.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = sheetId++, Name = name });
            }
            if (title is not null) doc.PackageProperties.Title = title;
        }
        return ms.ToArray();
    }

    static Cell Cell(object value, string reference, SharedStringTable strings, Dictionary<string, int> index)
    {
        var cell = new Cell { CellReference = reference };
        switch (value)
        {
            case string s:
                if (!index.TryGetValue(s, out int k))
                {
                    k = index[s] = index.Count;
                    strings.Append(new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve }));
                }
                cell.DataType = CellValues.SharedString;
                cell.CellValue = new CellValue(k.ToString(CultureInfo.InvariantCulture));
                break;
            case DateTime d:
                cell.StyleIndex = 1;
                cell.CellValue = new CellValue(d.ToOADate().ToString(CultureInfo.InvariantCulture));
                break;
            case Percent p:
                cell.StyleIndex = 2;
                cell.CellValue = new CellValue(p.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case bool b:
                cell.DataType = CellValues.Boolean;
                cell.CellValue = new CellValue(b ? "1" : "0");
                break;
            default:
                cell.CellValue = new CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                break;
        }
        return cell;
    }

    static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : Column(index / 26 - 1) + (char)('A' + index % 26);
}

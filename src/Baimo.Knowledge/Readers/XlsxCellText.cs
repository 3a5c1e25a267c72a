using System.Globalization;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// Formats cell values as a person reads them in Excel, within reason: dates as ISO dates (Excel stores them as
/// day counts), percentages with "%", other numbers without binary noise (0.1+0.2 shows as 0.3, as Excel does
/// with its 15 significant digits). Currency symbols and thousands separators are left out on purpose —
/// they add nothing to search and differ by locale.
/// </summary>
public sealed partial class XlsxCellText
{
    enum NumberKind { Plain, Date, Percent }

    readonly List<string> _sharedStrings;
    readonly List<NumberKind> _styleKinds = [];

    public XlsxCellText(SharedStringTable? sharedStrings, Stylesheet? stylesheet)
    {
        _sharedStrings = sharedStrings?.Elements<SharedStringItem>().Select(ItemText).ToList() ?? [];
        var custom = stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        foreach (var xf in stylesheet?.CellFormats?.Elements<CellFormat>() ?? [])
        {
            uint id = xf.NumberFormatId?.Value ?? 0;
            _styleKinds.Add(custom.TryGetValue(id, out var code) ? KindOf(code) : BuiltInKind(id));
        }
    }

    public string Text(Cell cell)
    {
        var raw = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString) return cell.InlineString is { } s ? ItemText(s) : "";
        if (raw is null) return "";
        if (type == CellValues.SharedString)
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k >= 0 && k < _sharedStrings.Count
                ? _sharedStrings[k] : "";
        if (type == CellValues.Boolean) return raw == "1" ? "TRUE" : "FALSE";
        if (type == CellValues.String || type == CellValues.Error || type == CellValues.Date) return raw;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return raw;
        int style = (int)(cell.StyleIndex?.Value ?? 0);
        var kind = style < _styleKinds.Count ? _styleKinds[style] : NumberKind.Plain;
        return kind switch
        {
            NumberKind.Date when v is >= 0 and < 2958466 => FormatDate(DateTime.FromOADate(v)),
            NumberKind.Percent => FormatNumber(v * 100) + "%",
            _ => FormatNumber(v),
        };
    }

    public static string FormatNumber(double v)
    {
        if (Math.Abs(v) < 1e15 && v == Math.Floor(v)) return ((long)v).ToString(CultureInfo.InvariantCulture);
        return double.Parse(v.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            .ToString("R", CultureInfo.InvariantCulture);
    }

    static string FormatDate(DateTime d) =>
        d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : d.Date == new DateTime(1899, 12, 30) ? d.ToString("HH:mm:ss", CultureInfo.InvariantCulture) // a time of day only
        : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Rich-text runs concatenated; phonetic guides (ruby) are not part of the value.</summary>
    static string ItemText(DocumentFormat.OpenXml.OpenXmlElement item) =>
        string.Concat(item.Descendants<Text>().Where(t => t.Parent is not PhoneticRun).Select(t => t.Text));

    /// <summary>Built-in number formats: 9-10 percent; 14-22 and 45-47 dates and times (ECMA-376 18.8.30).</summary>
    static NumberKind BuiltInKind(uint id) => id switch
    {
        9 or 10 => NumberKind.Percent,
        >= 14 and <= 22 or >= 45 and <= 47 => NumberKind.Date,
        _ => NumberKind.Plain,
    };

    /// <summary>A custom format is a date when, outside quotes and brackets, it uses y, d, h or s (m alone is ambiguous with minutes but always comes with one of them).</summary>
    static NumberKind KindOf(string code)
    {
        var bare = QuotedOrBracketed().Replace(code, "");
        if (bare.Contains('%')) return NumberKind.Percent;
        return bare.IndexOfAny(['y', 'Y', 'd', 'D', 'h', 'H', 's', 'S']) >= 0 && !bare.Contains("General", StringComparison.OrdinalIgnoreCase)
            ? NumberKind.Date : NumberKind.Plain;
    }

    [GeneratedRegex(@"""[^""]*""|\[[^\]]*\]|\\.")] private static partial Regex QuotedOrBracketed();
}

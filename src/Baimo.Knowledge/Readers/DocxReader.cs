using System.Text;
using Baimo.Knowledge.Documents;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .docx: body paragraphs in order. Heading styles (Title, "heading N", or any style with an outline level —
/// localised Word versions keep those even when the visible style name is translated) become headings;
/// numbered or bulleted paragraphs become list items at their numbering level; tables become rows under the
/// first row as header. Deleted revisions and field codes are skipped; headers, footers and notes are not read.
/// </summary>
public sealed class DocxReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".docx", ".docm"];

    public ExtractedDocument Read(Stream content, string fileName) =>
        OfficePackage.Read(content, fileName, ".docx", s => WordprocessingDocument.Open(s, false), Extract);

    static ExtractedDocument Extract(WordprocessingDocument doc)
    {
        var body = doc.MainDocumentPart?.Document?.Body
            ?? throw new InvalidDataException("the package has no main document");
        var styles = new StyleInfo(doc.MainDocumentPart!.StyleDefinitionsPart?.Styles);
        var blocks = new BlockBuilder();
        string? titleParagraph = null;
        foreach (var element in BodyElements(body))
        {
            if (element is Table table) { AddTable(blocks, table); continue; }
            if (element is not Paragraph p) continue;
            var text = ParagraphText(p);
            if (string.IsNullOrWhiteSpace(text)) continue;
            var styleId = p.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
            int? heading = styles.HeadingLevel(styleId, p.ParagraphProperties?.OutlineLevel?.Val?.Value);
            if (heading is { } level)
            {
                blocks.Add(BlockKind.Heading, text, level);
                if (titleParagraph is null && styles.IsTitle(styleId)) titleParagraph = text;
            }
            else if (styles.ListLevel(styleId, p.ParagraphProperties?.NumberingProperties) is { } depth)
                blocks.Add(BlockKind.ListItem, text, depth);
            else blocks.Add(BlockKind.Paragraph, text);
        }
        var title = doc.PackageProperties.Title;
        return blocks.Build(string.IsNullOrWhiteSpace(title) ? titleParagraph : title);
    }

    /// <summary>Paragraphs and tables in reading order, looking through content controls and custom XML wrappers.</summary>
    static IEnumerable<OpenXmlElement> BodyElements(OpenXmlElement container)
    {
        foreach (var child in container.ChildElements)
        {
            if (child is Paragraph or Table) yield return child;
            else if (child is SdtBlock or SdtContentBlock or CustomXmlBlock)
                foreach (var inner in BodyElements(child)) yield return inner;
        }
    }

    static void AddTable(BlockBuilder blocks, Table table)
    {
        string? header = null;
        foreach (var row in table.Elements<TableRow>())
        {
            var cells = row.Elements<TableCell>().Select(CellText).ToList();
            var joined = BlockBuilder.JoinCells(cells);
            if (joined.Length == 0) continue;
            if (header is null)
            {
                header = joined;
                blocks.AddRow(cells, null);
            }
            else blocks.AddRow(cells, header);
        }
    }

    /// <summary>All text in a cell, nested tables included, paragraphs separated by a space.</summary>
    static string CellText(TableCell cell) =>
        string.Join(' ', cell.Descendants<Paragraph>().Where(p => !p.Ancestors<Paragraph>().Any()).Select(ParagraphText));

    /// <summary>
    /// Visible text of a paragraph: text runs, tabs and breaks. DeletedText and FieldCode are other element
    /// types, so tracked deletions and field instructions ("PAGE \* MERGEFORMAT") never get in.
    /// </summary>
    static string ParagraphText(OpenXmlElement paragraph)
    {
        var sb = new StringBuilder();
        foreach (var e in paragraph.Descendants())
        {
            switch (e)
            {
                case Text t: sb.Append(t.Text); break;
                case TabChar or PositionalTab: sb.Append('\t'); break;
                case Break or CarriageReturn: sb.Append('\n'); break;
                case NoBreakHyphen: sb.Append('-'); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Style lookups along the basedOn chain: heading levels and list numbering inherited from a style.</summary>
    sealed class StyleInfo
    {
        readonly Dictionary<string, Style> _byId = new(StringComparer.OrdinalIgnoreCase);

        public StyleInfo(Styles? styles)
        {
            if (styles is null) return;
            foreach (var s in styles.Elements<Style>())
                if (s.StyleId?.Value is { } id) _byId.TryAdd(id, s);
        }

        public bool IsTitle(string? styleId) =>
            styleId is not null && (styleId.Equals("Title", StringComparison.OrdinalIgnoreCase) || Name(styleId) == "title");

        public int? HeadingLevel(string? styleId, int? directOutline)
        {
            if (directOutline is { } d && d < 9) return d + 1;
            foreach (var (id, style) in Chain(styleId))
            {
                var name = style?.StyleName?.Val?.Value?.ToLowerInvariant() ?? "";
                if (name == "title" || id.Equals("Title", StringComparison.OrdinalIgnoreCase)) return 1;
                if (TrailingLevel(name, "heading ") is { } n) return n;
                if (TrailingLevel(id.ToLowerInvariant(), "heading") is { } m) return m;
                if (style?.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } o && o < 9) return o + 1;
            }
            return null;
        }

        public int? ListLevel(string? styleId, NumberingProperties? direct)
        {
            if (direct is not null)
            {
                // numId 0 explicitly removes numbering that the style would add.
                if (direct.NumberingId?.Val?.Value == 0) return null;
                if (direct.NumberingId is not null) return direct.NumberingLevelReference?.Val?.Value ?? 0;
            }
            foreach (var (_, style) in Chain(styleId))
            {
                var numPr = style?.StyleParagraphProperties?.NumberingProperties;
                if (numPr?.NumberingId?.Val?.Value is { } numId) return numId == 0 ? null : numPr.NumberingLevelReference?.Val?.Value ?? 0;
            }
            return null;
        }

        string? Name(string styleId) =>
            _byId.TryGetValue(styleId, out var s) ? s.StyleName?.Val?.Value?.ToLowerInvariant() : null;

        /// <summary>The style and its ancestors; the style id alone when the styles part lacks it.</summary>
        IEnumerable<(string Id, Style? Style)> Chain(string? styleId)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            while (styleId is not null && seen.Add(styleId) && seen.Count < 16)
            {
                _byId.TryGetValue(styleId, out var style);
                yield return (styleId, style);
                styleId = style?.BasedOn?.Val?.Value;
            }
        }

        static int? TrailingLevel(string s, string prefix) =>
            s.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(s.AsSpan(prefix.Length), out var n) && n is >= 1 and <= 9
                ? n : null;
    }
}

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>Writes .docx files the way Word structures them: named heading styles, numbering definitions, tables.</summary>
public static class DocxWriter
{
    /// <param name="items">Content in order; a level-0 heading is written in the Title style.</param>
    /// <param name="title">Core-properties title, or null.</param>
    /// <param name="localizedStyleIds">Use the style ids a Chinese Word writes ("1", "2", "a3") instead of "Heading1".</param>
    public static byte[] Write(IEnumerable<SampleItem> items, string? title = null, bool localizedStyleIds = false)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles();
            styles.Styles.Append(ParagraphStyle(localizedStyleIds ? "a3" : "Title", "Title"));
            for (int level = 1; level <= 3; level++)
                styles.Styles.Append(ParagraphStyle(localizedStyleIds ? $"{level}" : $"Heading{level}", $"heading {level}"));
            styles.Styles.Append(ParagraphStyle("ListParagraph", "List Paragraph"));

            var numbering = main.AddNewPart<NumberingDefinitionsPart>();
            numbering.Numbering = new Numbering(
                AbstractNumbering(1, NumberFormatValues.Bullet), AbstractNumbering(2, NumberFormatValues.Decimal),
                new NumberingInstance(new AbstractNumId { Val = 1 }) { NumberID = 1 },
                new NumberingInstance(new AbstractNumId { Val = 2 }) { NumberID = 2 });

            var body = new Body();
            foreach (var item in items) body.Append(Element(item, localizedStyleIds));
            main.Document = new Document(body);
            if (title is not null) doc.PackageProperties.Title = title;
        }
        return ms.ToArray();
    }

    static OpenXmlElement Element(SampleItem item, bool localized) => item switch
    {
        SampleHeading { Level: 0 } h => StyledParagraph(h.Text, localized ? "a3" : "Title"),
        SampleHeading h => StyledParagraph(h.Text, localized ? $"{h.Level}" : $"Heading{h.Level}"),
        SampleParagraph p => new Paragraph(new Run(new Text(p.Text) { Space = SpaceProcessingModeValues.Preserve })),
        SampleListItem li => new Paragraph(
            new ParagraphProperties(
                new ParagraphStyleId { Val = "ListParagraph" },
                new NumberingProperties(new NumberingLevelReference { Val = li.Level }, new NumberingId { Val = li.Numbered ? 2 : 1 })),
            new Run(new Text(li.Text))),
        SampleTable t => Table(t),
        SampleCode c => new Paragraph(c.Text.Split('\n').SelectMany((line, i) =>
            i == 0 ? new OpenXmlElement[] { new Run(new Text(line) { Space = SpaceProcessingModeValues.Preserve }) }
                   : [new Run(new Break()), new Run(new Text(line) { Space = SpaceProcessingModeValues.Preserve })])),
        _ => throw new ArgumentException(item.ToString()),
    };

    static Paragraph StyledParagraph(string text, string styleId) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = styleId }), new Run(new Text(text)));

    static Table Table(SampleTable t)
    {
        var table = new Table(new TableProperties(new TableBorders()));
        foreach (var row in new[] { t.Header }.Concat(t.Rows))
            table.Append(new TableRow(row.Select(cell => new TableCell(new Paragraph(new Run(new Text(cell)))))));
        return table;
    }

    static Style ParagraphStyle(string id, string name) =>
        new(new StyleName { Val = name }, new BasedOn { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = id };

    static AbstractNum AbstractNumbering(int id, NumberFormatValues format) =>
        new(Enumerable.Range(0, 3).Select(level => new Level(
            new NumberingFormat { Val = format },
            new LevelText { Val = format == NumberFormatValues.Bullet ? "•" : $"%{level + 1}." }) { LevelIndex = level }))
        { AbstractNumberId = id };
}

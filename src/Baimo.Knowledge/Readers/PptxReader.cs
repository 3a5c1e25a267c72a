using System.Text;
using Baimo.Knowledge.Documents;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .pptx: slides in presentation order, Location "slide N". The title placeholder becomes a level-1 heading
/// (read first, wherever it sits in the shape tree); paragraphs of body placeholders are list items at their
/// indent level, because the slide master bullets them even though the slide XML says nothing; free text boxes
/// are paragraphs unless they carry their own bullets; slide tables become rows under their first row.
/// Speaker notes are not read.
/// </summary>
public sealed class PptxReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".pptx", ".pptm"];

    public ExtractedDocument Read(Stream content, string fileName) =>
        OfficePackage.Read(content, fileName, ".pptx", s => PresentationDocument.Open(s, false), Extract);

    static ExtractedDocument Extract(PresentationDocument doc)
    {
        var presentation = doc.PresentationPart ?? throw new InvalidDataException("the package has no presentation");
        var blocks = new BlockBuilder();
        int number = 0;
        foreach (var slideId in presentation.Presentation?.SlideIdList?.Elements<P.SlideId>() ?? [])
        {
            if (slideId.RelationshipId?.Value is not { } rid || presentation.GetPartById(rid) is not SlidePart slide) continue;
            number++;
            var tree = slide.Slide?.CommonSlideData?.ShapeTree;
            if (tree is null) continue;
            var location = $"slide {number}";
            var shapes = Flatten(tree).ToList();
            foreach (var title in shapes.OfType<P.Shape>().Where(IsTitle))
                blocks.Add(BlockKind.Heading, string.Join(' ', Paragraphs(title.TextBody).Select(p => p.Text)), 1, location);
            foreach (var shape in shapes)
            {
                if (shape is P.Shape sp && !IsTitle(sp)) AddShapeText(blocks, sp, location);
                else if (shape is P.GraphicFrame frame)
                    foreach (var table in frame.Descendants<A.Table>()) AddTable(blocks, table, location);
            }
        }
        var docTitle = doc.PackageProperties.Title;
        return blocks.Build(string.IsNullOrWhiteSpace(docTitle) ? null : docTitle, Math.Max(1, number));
    }

    /// <summary>Shapes and graphic frames in z-order, with groups opened.</summary>
    static IEnumerable<OpenXmlElement> Flatten(OpenXmlElement container)
    {
        foreach (var child in container.ChildElements)
        {
            if (child is P.GroupShape group) foreach (var inner in Flatten(group)) yield return inner;
            else if (child is P.Shape or P.GraphicFrame) yield return child;
        }
    }

    static P.PlaceholderShape? Placeholder(P.Shape shape) =>
        shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape;

    static bool IsTitle(P.Shape shape) =>
        Placeholder(shape)?.Type?.Value is { } t && (t == P.PlaceholderValues.Title || t == P.PlaceholderValues.CenteredTitle);

    static void AddShapeText(BlockBuilder blocks, P.Shape shape, string location)
    {
        var ph = Placeholder(shape);
        var type = ph?.Type?.Value;
        // A placeholder without a type is the generic content ("obj") placeholder, bulleted like the body.
        bool bulletedByMaster = ph is not null && (type is null || type == P.PlaceholderValues.Body || type == P.PlaceholderValues.Object);
        if (type is { } t && (t == P.PlaceholderValues.SlideNumber || t == P.PlaceholderValues.DateAndTime || t == P.PlaceholderValues.Footer))
            return; // boilerplate repeated on every slide
        foreach (var (text, level, bullet) in Paragraphs(shape.TextBody))
        {
            bool listItem = bullet ?? bulletedByMaster;
            blocks.Add(listItem ? BlockKind.ListItem : BlockKind.Paragraph, text, listItem ? level : 0, location);
        }
    }

    static void AddTable(BlockBuilder blocks, A.Table table, string location)
    {
        string? header = null;
        foreach (var row in table.Elements<A.TableRow>())
        {
            var cells = row.Elements<A.TableCell>().Select(c => string.Join(' ', Paragraphs(c.TextBody).Select(p => p.Text))).ToList();
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

    /// <summary>
    /// Non-empty paragraphs with their indent level and explicit bullet setting: true for a:buChar/a:buAutoNum,
    /// false for a:buNone, null when the paragraph inherits from the layout.
    /// </summary>
    static IEnumerable<(string Text, int Level, bool? Bullet)> Paragraphs(OpenXmlElement? textBody)
    {
        if (textBody is null) yield break;
        foreach (var p in textBody.Elements<A.Paragraph>())
        {
            var sb = new StringBuilder();
            foreach (var e in p.ChildElements)
            {
                if (e is A.Run or A.Field) sb.Append(string.Concat(e.Descendants<A.Text>().Select(t => t.Text)));
                else if (e is A.Break) sb.Append('\n');
            }
            if (string.IsNullOrWhiteSpace(sb.ToString())) continue;
            var props = p.ParagraphProperties;
            bool? bullet = props?.GetFirstChild<A.NoBullet>() is not null ? false
                : props?.GetFirstChild<A.CharacterBullet>() is not null || props?.GetFirstChild<A.AutoNumberedBullet>() is not null ? true
                : null;
            yield return (sb.ToString(), props?.Level?.Value ?? 0, bullet);
        }
    }
}

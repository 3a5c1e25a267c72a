using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>
/// Writes .pptx decks: each slide has a title placeholder, list items in one body placeholder (bulleted by the
/// master, so no bullet markup, as PowerPoint writes them), paragraphs in a free text box and tables in graphic
/// frames. Masters and layouts are left out; readers do not need them.
/// </summary>
public static class PptxWriter
{
    public static byte[] Write(IEnumerable<(string? Title, SampleItem[] Items)> slides, string? title = null)
    {
        using var ms = new MemoryStream();
        using (var doc = PresentationDocument.Create(ms, PresentationDocumentType.Presentation))
        {
            var pres = doc.AddPresentationPart();
            pres.Presentation = new P.Presentation(new P.SlideIdList());
            uint slideId = 256;
            foreach (var (slideTitle, items) in slides)
            {
                var part = pres.AddNewPart<SlidePart>();
                var tree = new P.ShapeTree(
                    new P.NonVisualGroupShapeProperties(
                        new P.NonVisualDrawingProperties { Id = 1, Name = "" },
                        new P.NonVisualGroupShapeDrawingProperties(), new P.ApplicationNonVisualDrawingProperties()),
                    new P.GroupShapeProperties());
                uint shapeId = 2;
                if (slideTitle is not null)
                    tree.Append(Shape(shapeId++, new P.PlaceholderShape { Type = P.PlaceholderValues.Title }, [Paragraph(slideTitle, 0)]));
                var bullets = items.OfType<SampleListItem>().Select(li => Paragraph(li.Text, li.Level)).ToArray();
                if (bullets.Length > 0)
                    tree.Append(Shape(shapeId++, new P.PlaceholderShape { Index = 1 }, bullets));
                foreach (var item in items)
                {
                    if (item is SampleParagraph p) tree.Append(Shape(shapeId++, null, [Paragraph(p.Text, 0)]));
                    else if (item is SampleTable t) tree.Append(Table(shapeId++, t));
                }
                part.Slide = new P.Slide(new P.CommonSlideData(tree));
                pres.Presentation.SlideIdList!.Append(new P.SlideId { Id = slideId++, RelationshipId = pres.GetIdOfPart(part) });
            }
            if (title is not null) doc.PackageProperties.Title = title;
        }
        return ms.ToArray();
    }

    static A.Paragraph Paragraph(string text, int level) =>
        new(new A.ParagraphProperties { Level = level }, new A.Run(new A.RunProperties { Language = "en-US" }, new A.Text(text)));

    static P.Shape Shape(uint id, P.PlaceholderShape? placeholder, A.Paragraph[] paragraphs)
    {
        var app = new P.ApplicationNonVisualDrawingProperties();
        if (placeholder is not null) app.Append(placeholder);
        return new P.Shape(
            new P.NonVisualShapeProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = $"Shape {id}" },
                new P.NonVisualShapeDrawingProperties(), app),
            new P.ShapeProperties(),
            new P.TextBody(new OpenXmlElement[] { new A.BodyProperties(), new A.ListStyle() }.Concat(paragraphs)));
    }

    static P.GraphicFrame Table(uint id, SampleTable t)
    {
        var table = new A.Table(new A.TableProperties(), new A.TableGrid(t.Header.Select(_ => new A.GridColumn { Width = 1000000 })));
        foreach (var row in new[] { t.Header }.Concat(t.Rows))
            table.Append(new A.TableRow(row.Select(cell => new A.TableCell(
                new A.TextBody(new A.BodyProperties(), new A.ListStyle(), Paragraph(cell, 0)), new A.TableCellProperties()))) { Height = 370840 });
        return new P.GraphicFrame(
            new P.NonVisualGraphicFrameProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = $"Table {id}" },
                new P.NonVisualGraphicFrameDrawingProperties(), new P.ApplicationNonVisualDrawingProperties()),
            new P.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
            new A.Graphic(new A.GraphicData(table) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/table" }));
    }
}

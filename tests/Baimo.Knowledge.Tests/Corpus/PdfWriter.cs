using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>
/// Writes A4 PDFs with Helvetica (a standard font, so text must be Latin-1: no CJK font is installed here to
/// embed). Headings are set larger than the 11 pt body (level 1: 20 pt, level 2: 14 pt), lines are 1.25 em
/// apart, paragraphs one extra em, list items start with "• " and long paragraphs wrap at about 90 characters.
/// A null page is left blank — what a scanned page without a text layer looks like to a reader.
/// </summary>
public static class PdfWriter
{
    const double Body = 11, Left = 50, Top = 790, Bottom = 60;

    public static byte[] Write(IEnumerable<SampleItem[]?> pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var items in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            if (items is null)
            {
                page.DrawRectangle(new PdfPoint(50, 50), 400, 600); // a "scan": graphics, no text
                continue;
            }
            double y = Top;
            foreach (var item in items)
            {
                var (text, size, indent) = item switch
                {
                    SampleHeading h => (h.Text, h.Level <= 1 ? 20.0 : 14.0, 0.0),
                    SampleListItem li => ((li.Numbered ? "1. " : "• ") + li.Text, Body, 15.0 * li.Level),
                    SampleParagraph p => (p.Text, Body, 0.0),
                    SampleTable t => (string.Join("   ", t.Header), Body, 0.0),
                    _ => (item.ToString(), Body, 0.0),
                };
                foreach (var line in Wrap(text, size <= Body ? 90 : 60))
                {
                    if (y < Bottom) { page = builder.AddPage(PageSize.A4); y = Top; }
                    page.AddText(line, size, new PdfPoint(Left + indent, y), font);
                    y -= 1.25 * size;
                }
                y -= size;
            }
        }
        return builder.Build();
    }

    static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { yield return line; line = ""; }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }
}

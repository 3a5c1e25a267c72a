using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig.Content;

namespace Baimo.Knowledge.Readers;

/// <summary>One line of a PDF page: words sharing a baseline, left to right.</summary>
/// <param name="Text">The words joined (no space between two CJK characters).</param>
/// <param name="Baseline">Baseline y in PDF units (grows upwards).</param>
/// <param name="Size">Largest font size on the line.</param>
sealed record PdfLine(string Text, double Baseline, double Size);

/// <summary>A paragraph, heading or list item assembled from consecutive lines.</summary>
sealed record PdfParagraph(string Text, double Size, bool IsListItem, int Lines);

/// <summary>
/// Rebuilds lines and paragraphs from word positions, because a PDF stores only glyphs at coordinates.
/// Lines: words whose baselines differ by less than half the font size. Paragraphs: a new one starts when the
/// gap between baselines exceeds 1.5 line heights (single spacing is about 1.2), when the font size changes by
/// more than 15% (a heading above body text), or when a line starts with a bullet or a number marker.
/// Single-column reading order only: two columns on one page are read row by row.
/// </summary>
static partial class PdfLayout
{
    public static List<PdfLine> Lines(Page page)
    {
        var words = page.GetWords()
            .Where(w => !string.IsNullOrWhiteSpace(w.Text) && w.Letters.Count > 0)
            .Select(w => (Word: w, Baseline: w.Letters[0].StartBaseLine.Y, Size: w.Letters.Max(Size)))
            .OrderByDescending(w => w.Baseline)
            .ToList();
        var lines = new List<PdfLine>();
        int i = 0;
        while (i < words.Count)
        {
            var first = words[i];
            var group = new List<(Word Word, double Baseline, double Size)> { first };
            int j = i + 1;
            while (j < words.Count && Math.Abs(words[j].Baseline - first.Baseline) < 0.5 * Math.Max(first.Size, words[j].Size))
                group.Add(words[j++]);
            group.Sort((a, b) => a.Word.BoundingBox.Left.CompareTo(b.Word.BoundingBox.Left));
            var sb = new StringBuilder();
            foreach (var (w, _, _) in group)
            {
                if (sb.Length > 0 && !(Whitespace.IsCjk(sb[^1]) && Whitespace.IsCjk(w.Text[0]))) sb.Append(' ');
                sb.Append(w.Text);
            }
            lines.Add(new PdfLine(sb.ToString(), first.Baseline, group.Max(g => g.Size)));
            i = j;
        }
        return lines;
    }

    public static List<PdfParagraph> Paragraphs(List<PdfLine> lines)
    {
        var result = new List<PdfParagraph>();
        var current = new List<PdfLine>();
        bool currentIsList = false;
        void Close()
        {
            if (current.Count == 0) return;
            var text = string.Join('\n', current.Select(l => l.Text));
            if (currentIsList) text = ListMarker().Replace(text, "", 1);
            result.Add(new PdfParagraph(text, current.Max(l => l.Size), currentIsList, current.Count));
            current.Clear();
        }
        foreach (var line in lines)
        {
            bool startsItem = ListMarker().IsMatch(line.Text);
            if (current.Count > 0)
            {
                var prev = current[^1];
                double gap = prev.Baseline - line.Baseline;
                double height = Math.Max(prev.Size, line.Size);
                bool sizeChange = Math.Abs(prev.Size - line.Size) > 0.15 * Math.Max(prev.Size, line.Size);
                if (startsItem || gap > 1.5 * height || gap < 0 || sizeChange) Close();
            }
            if (current.Count == 0) currentIsList = startsItem;
            current.Add(line);
        }
        Close();
        return result;
    }

    /// <summary>The font size of a glyph; PointSize accounts for the text matrix, FontSize alone may be 1.</summary>
    public static double Size(Letter l) => l.PointSize > 0 ? l.PointSize : l.FontSize;

    /// <summary>Bullets (•, ◦, ▪, -, –, *) or "1." / "2)" / "(a)" followed by a space.</summary>
    [GeneratedRegex(@"^(?:[•◦▪●○■\-–*]|\d{1,3}[.)]|\([a-z0-9]{1,3}\))\s+")]
    private static partial Regex ListMarker();
}

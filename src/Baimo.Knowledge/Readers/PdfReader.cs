using Baimo.Knowledge.Documents;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .pdf through PdfPig: text per page (Location "page N"), paragraphs rebuilt from word positions
/// (<see cref="PdfLayout"/>), larger-than-body short paragraphs as headings, bullet lines as list items.
/// Pages without a text layer are reported as warnings ("no text (scanned?)"), since OCR is out of scope.
/// </summary>
public sealed class PdfReader : IDocumentReader
{
    public const string NoTextWarning = "no text (scanned?)";

    public IReadOnlyCollection<string> Extensions { get; } = [".pdf"];

    public ExtractedDocument Read(Stream content, string fileName)
    {
        var bytes = TextDecoder.ReadBytes(content);
        // Readers tolerate junk before the header, so look in the first kilobyte rather than at offset 0.
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 1024)).IndexOf("%PDF-"u8) < 0)
            throw new DocumentReadException(fileName, "not a PDF file (no %PDF header)");
        try
        {
            using var pdf = PdfDocument.Open(bytes, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            return Extract(pdf);
        }
        catch (PdfDocumentEncryptedException e)
        {
            throw new DocumentReadException(fileName, "the PDF is encrypted and needs a password", e);
        }
        catch (Exception e) when (e is not DocumentReadException)
        {
            throw new DocumentReadException(fileName, $"the PDF is damaged or uses features that cannot be read ({e.Message})", e);
        }
    }

    static ExtractedDocument Extract(PdfDocument pdf)
    {
        var pages = new List<(int Number, List<PdfParagraph> Paragraphs)>();
        foreach (var page in pdf.GetPages())
            pages.Add((page.Number, PdfLayout.Paragraphs(PdfLayout.Lines(page))));

        double body = BodySize(pages.SelectMany(p => p.Paragraphs));
        var blocks = new BlockBuilder();
        var empty = new List<int>();
        foreach (var (number, paragraphs) in pages)
        {
            if (paragraphs.Count == 0) { empty.Add(number); continue; }
            var location = $"page {number}";
            foreach (var p in paragraphs)
            {
                // Short text set clearly larger than the body is a heading; 1.6x and up is the top level.
                if (!p.IsListItem && p.Lines <= 2 && p.Text.Length <= 200 && p.Size >= 1.25 * body)
                    blocks.Add(BlockKind.Heading, p.Text, p.Size >= 1.6 * body ? 1 : 2, location);
                else blocks.Add(p.IsListItem ? BlockKind.ListItem : BlockKind.Paragraph, p.Text, 0, location);
            }
        }
        if (empty.Count == pages.Count) blocks.Warn(NoTextWarning);
        else foreach (var n in empty) blocks.Warn($"page {n}: {NoTextWarning}");

        string? title = null;
        try { title = pdf.Information.Title; } catch (Exception) { /* a broken info dictionary is no reason to lose the text */ }
        return blocks.Build(title, pages.Count);
    }

    /// <summary>The font size carrying the most characters: the body text, against which headings stand out.</summary>
    static double BodySize(IEnumerable<PdfParagraph> paragraphs)
    {
        var bySize = paragraphs.GroupBy(p => Math.Round(p.Size, 1)).Select(g => (Size: g.Key, Chars: g.Sum(p => p.Text.Length))).ToList();
        return bySize.Count == 0 ? 0 : bySize.MaxBy(g => g.Chars).Size;
    }
}

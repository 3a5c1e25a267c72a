namespace Baimo.Knowledge.Documents;

/// <summary>
/// The text of one source file as a reader extracted it: the full text, its structural blocks in reading order
/// (offsets into <see cref="Text"/>), and warnings that do not stop ingestion (e.g. a PDF page with no text layer).
/// </summary>
/// <param name="Text">All block texts in order, separated by blank lines ("\n\n").</param>
/// <param name="Blocks">The blocks in reading order; their offsets point into <paramref name="Text"/>.</param>
/// <param name="Warnings">Human-readable problems that did not prevent extraction.</param>
/// <param name="Title">The document's title when the format carries one (HTML &lt;title&gt;, DOCX core properties), else null.</param>
/// <param name="Pages">Pages, sheets or slides read (1 for flat text formats); feeds the ingestion progress figures.</param>
public sealed record ExtractedDocument(
    string Text,
    IReadOnlyList<DocumentBlock> Blocks,
    IReadOnlyList<string> Warnings,
    string? Title = null,
    int Pages = 1);

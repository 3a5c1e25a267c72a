namespace Baimo.Knowledge.Documents;

/// <summary>
/// One structural block of a document. <see cref="Start"/> and <see cref="Length"/> are character offsets into
/// <see cref="ExtractedDocument.Text"/>, where <c>Text.Substring(Start, Length) == Text</c> of this block holds.
/// </summary>
/// <param name="Kind">What the block is.</param>
/// <param name="Text">The block's text, whitespace-normalised, never empty.</param>
/// <param name="Start">Offset of the block's first character in the document text.</param>
/// <param name="Length">Number of characters.</param>
/// <param name="Level">Heading level (1 = top) or list nesting depth; 0 otherwise.</param>
/// <param name="Location">Where a reader finds it in the source: "page 3", "sheet Sales", "slide 4"; null for flat formats.</param>
/// <param name="TableHeader">For table rows: the header row (cells joined by " | ") repeated with each row; null otherwise.</param>
public sealed record DocumentBlock(
    BlockKind Kind,
    string Text,
    int Start,
    int Length,
    int Level = 0,
    string? Location = null,
    string? TableHeader = null);

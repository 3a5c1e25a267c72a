namespace Baimo.Knowledge.Chunking;

/// <summary>
/// One retrievable piece of a document. <see cref="Start"/>/<see cref="Length"/> delimit the span of the
/// document's extracted text the chunk covers; <see cref="Text"/> is that span, except for table chunks, where the
/// table's header row is put in front so every chunk of a table can be read on its own.
/// </summary>
/// <param name="Ordinal">0-based position of the chunk in its document.</param>
/// <param name="Text">The text given to the index and to prompts.</param>
/// <param name="Start">Offset of the covered span in <c>ExtractedDocument.Text</c>.</param>
/// <param name="Length">Length of the covered span.</param>
/// <param name="Location">Page, sheet or slide of the chunk's first block; null for flat formats.</param>
/// <param name="HeadingPath">Headings above the chunk, outermost first.</param>
/// <param name="Tokens">Approximate token count of <see cref="Text"/>.</param>
public sealed record Chunk(
    int Ordinal,
    string Text,
    int Start,
    int Length,
    string? Location,
    IReadOnlyList<string> HeadingPath,
    int Tokens);

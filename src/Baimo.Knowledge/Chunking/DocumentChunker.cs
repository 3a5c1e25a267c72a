using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Chunking;

/// <summary>
/// Cuts an <see cref="ExtractedDocument"/> into token-budgeted chunks that follow its structure: a heading starts a
/// new section and every chunk carries the headings above it; paragraphs and list items stay whole when they fit,
/// otherwise they are cut between sentences (and a sentence only when it alone exceeds the budget); table rows
/// are never cut and every chunk of a table starts with the table's header row; a change of page, sheet or slide
/// starts a new chunk so each chunk has one location.
/// </summary>
public sealed class DocumentChunker
{
    private readonly ChunkingOptions _options;

    public DocumentChunker(ChunkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The chunks of <paramref name="document"/> in reading order.</summary>
    public IReadOnlyList<Chunk> Chunk(ExtractedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var builder = new ChunkBuilder(document.Text, _options);
        foreach (var block in document.Blocks)
        {
            if (block.Start < 0 || block.Length < 0 || block.Start + block.Length > document.Text.Length)
                throw new ArgumentException(
                    $"Block at {block.Start} (+{block.Length}) lies outside the document text ({document.Text.Length} chars).", nameof(document));
            if (block.Length == 0) continue;
            switch (block.Kind)
            {
                case BlockKind.Heading: builder.AddHeading(block); break;
                case BlockKind.TableRow: builder.AddTableRow(block); break;
                default: builder.AddFlowBlock(block); break;
            }
        }
        builder.Flush(keepOverlap: false);
        return builder.Chunks;
    }
}

namespace Baimo.Knowledge.Documents;

/// <summary>The structural role of one block of extracted text; the chunker keeps these boundaries.</summary>
public enum BlockKind
{
    /// <summary>A heading; <see cref="DocumentBlock.Level"/> is 1 for the top level.</summary>
    Heading,
    Paragraph,
    /// <summary>One item of a bulleted or numbered list; <see cref="DocumentBlock.Level"/> is its nesting depth (0 = top).</summary>
    ListItem,
    /// <summary>One row of a table, cells joined by " | "; <see cref="DocumentBlock.TableHeader"/> holds the header row.</summary>
    TableRow,
    /// <summary>Preformatted text (code, fixed-width listings) that must not be reflowed.</summary>
    Code,
}

namespace Baimo.Knowledge.Documents;

/// <summary>Extracts structured text from one file format.</summary>
public interface IDocumentReader
{
    /// <summary>Lower-case file extensions this reader handles, with the dot (".pdf").</summary>
    IReadOnlyCollection<string> Extensions { get; }

    /// <summary>
    /// Reads the whole document. Throws <see cref="DocumentReadException"/> with a readable reason when the file
    /// cannot be read (corrupt, encrypted, wrong format); never returns partial garbage silently.
    /// </summary>
    ExtractedDocument Read(Stream content, string fileName);
}

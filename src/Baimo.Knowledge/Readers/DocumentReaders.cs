using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// The readers by file extension. Ingestion asks <see cref="For"/> (or <see cref="IsSupported"/> to filter a
/// folder) and gets a <see cref="DocumentReadException"/> from <see cref="Read(string)"/> for a file it cannot read.
/// </summary>
public sealed class DocumentReaders
{
    readonly Dictionary<string, IDocumentReader> _byExtension = new(StringComparer.OrdinalIgnoreCase);

    public DocumentReaders(IEnumerable<IDocumentReader> readers)
    {
        // Later readers win, so a caller can append a replacement for a built-in format.
        foreach (var reader in readers)
            foreach (var ext in reader.Extensions) _byExtension[ext] = reader;
    }

    /// <summary>All built-in formats.</summary>
    public static DocumentReaders Default { get; } = new(
    [
        new PlainTextReader(), new MarkdownReader(), new HtmlReader(), new PdfReader(), new DocxReader(),
        new XlsxReader(), new PptxReader(), new CsvReader(), new JsonReader(),
    ]);

    public IReadOnlyCollection<string> Extensions => _byExtension.Keys;

    /// <summary>The reader for a file name or extension, or null when the format is not supported.</summary>
    public IDocumentReader? For(string fileNameOrExtension)
    {
        var ext = fileNameOrExtension.StartsWith('.') ? fileNameOrExtension : Path.GetExtension(fileNameOrExtension);
        return _byExtension.GetValueOrDefault(ext);
    }

    public bool IsSupported(string fileName) => For(fileName) is not null;

    /// <summary>Reads a file from disk; every failure, including I/O, comes back as <see cref="DocumentReadException"/>.</summary>
    public ExtractedDocument Read(string path)
    {
        var name = Path.GetFileName(path);
        var reader = For(path) ?? throw new DocumentReadException(name, $"unsupported file type \"{Path.GetExtension(path)}\"");
        try
        {
            using var stream = File.OpenRead(path);
            return Read(reader, stream, name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DocumentReadException(name, $"cannot open the file ({e.Message})", e);
        }
    }

    /// <summary>Reads a stream with the reader for <paramref name="fileName"/>.</summary>
    public ExtractedDocument Read(Stream content, string fileName)
    {
        var reader = For(fileName) ?? throw new DocumentReadException(fileName, $"unsupported file type \"{Path.GetExtension(fileName)}\"");
        return Read(reader, content, fileName);
    }

    /// <summary>
    /// The last line of defence for the contract: a reader bug or a library exception not mapped by the reader
    /// still reaches the caller as a readable <see cref="DocumentReadException"/>, so one bad file never stops a folder.
    /// </summary>
    static ExtractedDocument Read(IDocumentReader reader, Stream content, string fileName)
    {
        try { return reader.Read(content, fileName); }
        catch (DocumentReadException) { throw; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DocumentReadException(fileName, $"could not be read: {e.Message}", e);
        }
    }
}

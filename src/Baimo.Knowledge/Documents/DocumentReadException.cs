namespace Baimo.Knowledge.Documents;

/// <summary>A file that cannot be read; the message names the file and the reason, and ingestion moves on.</summary>
public sealed class DocumentReadException(string fileName, string reason, Exception? inner = null)
    : Exception($"{fileName}: {reason}", inner)
{
    public string FileName { get; } = fileName;
    public string Reason { get; } = reason;
}

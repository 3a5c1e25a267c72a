namespace Baimo.Knowledge.Retrieval;

/// <summary>
/// Restricts a search to some documents. Conditions combine with AND; an empty filter matches everything.
/// </summary>
/// <param name="SourcePrefix">Only sources starting with this (a folder "reports/" or a file "reports/q3.pdf"); ordinal comparison.</param>
/// <param name="Extensions">Only these file types, lower-case with the dot (".pdf", ".docx"); null or empty for all.</param>
public sealed record SearchFilter(string? SourcePrefix = null, IReadOnlyCollection<string>? Extensions = null)
{
    /// <summary>Matches every document.</summary>
    public static SearchFilter None { get; } = new();

    /// <summary>True when the filter restricts nothing.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(SourcePrefix) && (Extensions is null || Extensions.Count == 0);

    /// <summary>Whether a document with this source and extension passes.</summary>
    public bool Matches(string source, string extension) =>
        (string.IsNullOrEmpty(SourcePrefix) || source.StartsWith(SourcePrefix, StringComparison.Ordinal))
        && (Extensions is null || Extensions.Count == 0 || Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));

    /// <summary>The extension a source is filed under: lower-case, with the dot; empty when it has none.</summary>
    public static string ExtensionOf(string source) => Path.GetExtension(source).ToLowerInvariant();
}

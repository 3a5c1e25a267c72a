namespace Baimo.Knowledge.Ingestion;

/// <summary>
/// A file to ingest and the name it is known by in the base. The name is the added folder's own name plus the
/// path inside it ("handbook/hr/leave.docx"), with forward slashes on every OS, so citations read the same
/// everywhere and re-adding the folder from another working directory finds the same documents.
/// </summary>
/// <param name="Path">Absolute path on disk.</param>
/// <param name="Source">The document's name in the knowledge base.</param>
/// <param name="Scope">The folder name whose documents this walk covers (for dropping removed files), or null for a single file.</param>
public sealed record SourceFile(string Path, string Source, string? Scope);

namespace Baimo.Knowledge.Ingestion;

/// <summary>What one ingestion run did, file by file counts plus the problems it met.</summary>
public sealed class IngestReport
{
    public int Added { get; internal set; }
    public int Updated { get; internal set; }
    public int Unchanged { get; internal set; }
    public int Removed { get; internal set; }
    public int Pages { get; internal set; }
    public int Chunks { get; internal set; }
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Files that could not be read, each with its reason; the run went on without them.</summary>
    public List<(string Source, string Reason)> Failures { get; } = [];

    /// <summary>Problems that did not stop a file (e.g. a PDF page without a text layer).</summary>
    public List<(string Source, string Warning)> Warnings { get; } = [];

    /// <summary>Paths given that were neither a file nor a folder, or files of an unsupported type named directly.</summary>
    public List<(string Path, string Reason)> Skipped { get; } = [];
}

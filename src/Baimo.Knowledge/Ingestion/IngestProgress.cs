namespace Baimo.Knowledge.Ingestion;

/// <summary>A snapshot of an ingestion run, reported after every file.</summary>
/// <param name="FilesTotal">Files found under the given paths with a supported extension.</param>
/// <param name="FilesDone">Files handled so far (indexed, skipped as unchanged, or failed).</param>
/// <param name="Pages">Pages, sheets or slides read so far.</param>
/// <param name="Chunks">Chunks written so far.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Current">The file just handled.</param>
public sealed record IngestProgress(int FilesTotal, int FilesDone, int Pages, int Chunks, TimeSpan Elapsed, string Current)
{
    public double FilesPerSecond => Rate(FilesDone);
    public double PagesPerSecond => Rate(Pages);
    public double ChunksPerSecond => Rate(Chunks);
    private double Rate(int n) => Elapsed.TotalSeconds > 0 ? n / Elapsed.TotalSeconds : 0;
}

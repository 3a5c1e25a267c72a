namespace Baimo.Cli.Tests;

/// <summary>
/// Tests that point BAIMO_KB somewhere run in this collection: the variable is process-wide, so they must not run
/// beside each other or beside anything else that reads it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KbCollection
{
    public const string Name = "BAIMO_KB";
}

/// <summary>A temporary folder for bases and documents, with BAIMO_KB pointed at it until disposed.</summary>
internal sealed class KbScratch : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable("BAIMO_KB");

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "baimo-kb-" + Guid.NewGuid().ToString("N"));
    public string Bases => Path.Combine(Root, "bases");

    public KbScratch(bool setEnvironment = true)
    {
        Directory.CreateDirectory(Root);
        if (setEnvironment) Environment.SetEnvironmentVariable("BAIMO_KB", Bases);
    }

    public string Folder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("BAIMO_KB", _previous);
        // SQLite pools connections; clear them so the files can be deleted.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

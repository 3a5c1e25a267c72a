namespace Baimo.Testing;

/// <summary>Locates the shared reference data (../shared beside the repository root).</summary>
public static class Oracle
{
    private static readonly Lazy<string> SharedRoot = new(FindShared);

    /// <summary>Absolute path of the shared folder.</summary>
    public static string Shared => SharedRoot.Value;

    /// <summary>Path of a file under shared/oracle, e.g. <c>Oracle.Path("models", "stories260K.gguf")</c>.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Shared, "oracle", .. parts]);

    private static string FindShared()
    {
        var env = Environment.GetEnvironmentVariable("BAIMO_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return System.IO.Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Baimo.slnx")))
            {
                var shared = System.IO.Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared");
                if (Directory.Exists(shared)) return shared;
                throw new DirectoryNotFoundException($"shared data not found at {shared} (set BAIMO_SHARED)");
            }
        }
        throw new DirectoryNotFoundException("repository root (Baimo.slnx) not found above " + AppContext.BaseDirectory);
    }
}

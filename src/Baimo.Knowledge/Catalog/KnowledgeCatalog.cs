using System.Text.RegularExpressions;

namespace Baimo.Knowledge.Catalog;

/// <summary>
/// The folder that holds a user's knowledge bases, one SQLite file per base named after it
/// (<c>NAME.kb.sqlite</c>, with SQLite's <c>-wal</c>/<c>-shm</c> companions beside it while open).
/// </summary>
public sealed partial class KnowledgeCatalog(string root)
{
    public const string Extension = ".kb.sqlite";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The default home: <c>BAIMO_KB</c> when set, else <c>~/.baimo/kb</c>.</summary>
    public static KnowledgeCatalog Default()
    {
        var env = Environment.GetEnvironmentVariable("BAIMO_KB");
        return new KnowledgeCatalog(!string.IsNullOrWhiteSpace(env) ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".baimo", "kb"));
    }

    /// <summary>Names are used as file names and in URLs: letters (any script), digits, '-', '_' and '.', at most 64.</summary>
    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N}_.\-]{0,63}$")]
    private static partial Regex NamePattern();

    public static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name) || name.Contains(".."))
            throw new ArgumentException($"'{name}' is not a valid knowledge base name: use letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters");
    }

    public string PathOf(string name)
    {
        ValidateName(name);
        return Path.Combine(Root, name + Extension);
    }

    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>The names of every base in the folder, sorted.</summary>
    public IReadOnlyList<string> Names() =>
        !Directory.Exists(Root) ? [] :
        Directory.EnumerateFiles(Root, "*" + Extension)
            .Select(p => Path.GetFileName(p)[..^Extension.Length])
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Deletes a base with its journal files; false when it did not exist.</summary>
    public bool Remove(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path)) return false;
        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
            if (File.Exists(path + suffix)) File.Delete(path + suffix);
        File.Delete(path);
        return true;
    }
}

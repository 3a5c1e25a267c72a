namespace Baimo.Knowledge.Ingestion;

/// <summary>Expands the paths a user gave into the files to ingest, with their names in the base.</summary>
public static class SourceWalker
{
    /// <summary>
    /// Files named directly are taken when their type is supported; folders are walked recursively, skipping hidden
    /// entries (".git", ".DS_Store") and office lock files ("~$report.docx") that are never real documents.
    /// </summary>
    /// <param name="scopes">Receives the scope of every folder given, including folders with no supported files left,
    /// so that documents deleted from a now-empty folder can still be dropped.</param>
    public static List<SourceFile> Expand(IEnumerable<string> paths, Func<string, bool> isSupported, IngestReport report, ICollection<string>? scopes = null)
    {
        var files = new List<SourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in paths)
        {
            var full = Path.GetFullPath(raw);
            if (File.Exists(full))
            {
                if (!isSupported(full)) { report.Skipped.Add((raw, $"unsupported file type '{Path.GetExtension(full)}'")); continue; }
                if (seen.Add(full)) files.Add(new SourceFile(full, Path.GetFileName(full), null));
            }
            else if (Directory.Exists(full))
            {
                var root = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
                var scope = Path.GetFileName(root);
                if (scope.Length == 0) scope = "root";
                scopes?.Add(scope + "/");
                foreach (var file in Walk(root).Where(isSupported).Order(StringComparer.Ordinal))
                {
                    var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                    if (seen.Add(file)) files.Add(new SourceFile(file, scope + "/" + relative, scope + "/"));
                }
            }
            else report.Skipped.Add((raw, "no such file or folder"));
        }
        return files;
    }

    private static IEnumerable<string> Walk(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            var relative = Path.GetRelativePath(folder, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'))) continue;
            if (Path.GetFileName(file).StartsWith("~$", StringComparison.Ordinal)) continue;
            yield return file;
        }
    }
}

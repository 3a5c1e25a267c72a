using System.Text.Json;

namespace Baimo.Hosting.Store;

/// <summary>
/// The local model store: <c>manifests/</c> holds one JSON file per model name, <c>blobs/</c> holds the GGUF
/// files named by their SHA-256, so two names for one file (an alias and its hub name) share the bytes.
/// The root is given by the caller; only the CLI looks at the environment (<see cref="StoreLocation"/>).
/// </summary>
public sealed class ModelStore
{
    public ModelStore(string root)
    {
        if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("the model store needs a folder", nameof(root));
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }
    public string ManifestFolder => Path.Combine(Root, "manifests");
    public string BlobFolder => Path.Combine(Root, "blobs");

    /// <summary>Where the file with this checksum lives once complete.</summary>
    public string BlobPath(string sha256) => Path.Combine(BlobFolder, $"sha256-{sha256.ToLowerInvariant()}.gguf");

    /// <summary>Where a download in progress accumulates; kept across failures so the next try resumes.</summary>
    public string PartialPath(string sha256) => BlobPath(sha256) + ".partial";

    /// <summary>The lock file that makes one process at a time download a given blob.</summary>
    public string LockPath(string sha256) => BlobPath(sha256) + ".lock";

    /// <summary>The model file a manifest stands for.</summary>
    public string PathOf(ModelManifest manifest) => BlobPath(manifest.Sha256);

    /// <summary>Every model in the store, by name; unreadable manifests are skipped rather than hiding the rest.</summary>
    public IReadOnlyList<ModelManifest> List()
    {
        if (!Directory.Exists(ManifestFolder)) return [];
        var list = new List<ModelManifest>();
        foreach (var file in Directory.EnumerateFiles(ManifestFolder, "*.json"))
        {
            try
            {
                var m = JsonSerializer.Deserialize(File.ReadAllBytes(file), ManifestJson.Default.ModelManifest);
                if (m != null) list.Add(m);
            }
            catch (Exception e) when (e is JsonException or IOException) { }
        }
        return [.. list.OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The model a user's name means: the exact name, else ignoring case, else without Ollama's
    /// <c>:latest</c> tag; null when none.
    /// </summary>
    public ModelManifest? Find(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var all = List();
        var trimmed = name.EndsWith(":latest", StringComparison.OrdinalIgnoreCase) ? name[..^7] : name;
        return all.FirstOrDefault(m => m.Name == name)
            ?? all.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(m => string.Equals(m.Name, trimmed, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Names in the store that look like <paramref name="name"/>, for "did you mean" messages.</summary>
    public IReadOnlyList<string> CloseNames(string name, int max = 5) =>
        NameDistance.Closest(name, List().Select(m => m.Name), max);

    /// <summary>Records a model; the manifest is written beside and renamed into place so a reader never sees half of it.</summary>
    public void Save(ModelManifest manifest)
    {
        Directory.CreateDirectory(ManifestFolder);
        var path = ManifestPath(manifest.Name);
        var temp = path + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Default.ModelManifest));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes a model by name; its file goes too unless another name still uses it. False when no such model.</summary>
    public bool Remove(string name)
    {
        var m = Find(name);
        if (m is null) return false;
        File.Delete(ManifestPath(m.Name));
        if (!List().Any(o => o.Sha256 == m.Sha256))
        {
            File.Delete(BlobPath(m.Sha256));
            File.Delete(LockPath(m.Sha256));
        }
        return true;
    }

    /// <summary>Names may hold '/' and ':'; escaping them gives one flat, reversible file name on every OS.</summary>
    private string ManifestPath(string name) => Path.Combine(ManifestFolder, Uri.EscapeDataString(name) + ".json");
}

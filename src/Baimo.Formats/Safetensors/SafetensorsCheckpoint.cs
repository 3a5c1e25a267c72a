namespace Baimo.Formats.Safetensors;

/// <summary>
/// The weights of a checkpoint directory: one <c>model.safetensors</c>, the shards listed by
/// <c>model.safetensors.index.json</c>, or else every <c>*.safetensors</c> file in the directory. Each shard
/// is memory-mapped; tensors are found by name across shards. Dispose to unmap all shards.
/// </summary>
public sealed unsafe class SafetensorsCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafetensorsFile> _shards = [];
    private readonly Dictionary<string, (SafetensorsFile Shard, SafetensorsTensorInfo Info)> _byName = new(StringComparer.Ordinal);

    public string Directory { get; }
    public IReadOnlyList<SafetensorsFile> Shards => _shards;
    /// <summary>All tensors, shard by shard in header order.</summary>
    public IEnumerable<SafetensorsTensorInfo> Tensors => _shards.SelectMany(s => s.Tensors);
    /// <summary>Total size of the shard files.</summary>
    public long TotalBytes => _shards.Sum(s => s.FileSize);

    private SafetensorsCheckpoint(string directory)
    {
        Directory = directory;
        try
        {
            var index = Path.Combine(directory, IndexFileName);
            if (File.Exists(index)) OpenIndexed(index);
            else if (File.Exists(Path.Combine(directory, SingleFileName))) Add(SafetensorsFile.Open(Path.Combine(directory, SingleFileName)));
            else
            {
                var files = System.IO.Directory.GetFiles(directory, "*.safetensors").Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0) throw new FileNotFoundException($"no {SingleFileName}, {IndexFileName} or *.safetensors file in {directory}");
                foreach (var f in files) Add(SafetensorsFile.Open(f));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Opens the safetensors weights of a directory.</summary>
    /// <exception cref="SafetensorsFormatException">A shard or the index is malformed, or a tensor is in two shards.</exception>
    /// <exception cref="FileNotFoundException">No weights, or a shard named by the index is missing.</exception>
    public static SafetensorsCheckpoint Open(string directory) => new(Path.GetFullPath(directory));

    private void OpenIndexed(string indexPath)
    {
        var map = SafetensorsIndex.ReadWeightMap(indexPath);
        foreach (var shardName in map.Values.Distinct().Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(Directory, shardName);
            if (!File.Exists(path)) throw new FileNotFoundException($"shard '{shardName}' named by {IndexFileName} is missing", path);
            Add(SafetensorsFile.Open(path));
        }
        foreach (var (tensor, shardName) in map)
        {
            if (!_byName.TryGetValue(tensor, out var where))
                throw new SafetensorsFormatException($"the index puts '{tensor}' in {shardName}, which has no such tensor", $"weight_map[{tensor}]", 0, indexPath);
            if (Path.GetFileName(where.Shard.Path) != shardName)
                throw new SafetensorsFormatException($"the index puts '{tensor}' in {shardName}, but it is in {Path.GetFileName(where.Shard.Path)}", $"weight_map[{tensor}]", 0, indexPath);
        }
    }

    private void Add(SafetensorsFile shard)
    {
        _shards.Add(shard);
        foreach (var t in shard.Tensors)
            if (!_byName.TryAdd(t.Name, (shard, t)))
                throw new SafetensorsFormatException($"tensor '{t.Name}' appears in both {Path.GetFileName(_byName[t.Name].Shard.Path)} and {Path.GetFileName(shard.Path)}",
                    $"tensors[{t.Name}]", SafetensorsHeaderParser.HeaderStart, shard.Path);
    }

    /// <summary>The tensor with this name, or null.</summary>
    public SafetensorsTensorInfo? FindTensor(string name) => _byName.TryGetValue(name, out var e) ? e.Info : null;

    /// <summary>Pointer to a tensor's first byte in its shard's mapping.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public byte* GetTensorPointer(string name) =>
        _byName.TryGetValue(name, out var e) ? e.Shard.GetTensorPointer(e.Info) : throw new KeyNotFoundException($"{Directory}: no tensor named '{name}'");

    public void Dispose()
    {
        foreach (var s in _shards) s.Dispose();
        _shards.Clear();
    }
}

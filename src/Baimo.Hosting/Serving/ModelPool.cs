using Baimo.Hosting.Store;

namespace Baimo.Hosting.Serving;

/// <summary>
/// Serves every model in the store by name. A model loads on the first request that names it (concurrent
/// first requests share one load, and a load never holds up requests for other models); when loading one
/// more would pass <see cref="ServeOptions.MaxMemoryBytes"/>, the least recently used idle models are
/// unloaded first, and if every other model is busy the load waits for one to finish its requests.
/// </summary>
public sealed class ModelPool(ModelStore store, ServeOptions options) : ModelRouter
{
    private sealed class Entry(string name, long bytes)
    {
        public string Name { get; } = name;
        public long Bytes { get; } = bytes;
        public Task<ModelHost> Loading { get; set; } = null!;
        public int Users;
        public long LastUse;
        public DateTimeOffset LastUsed = DateTimeOffset.UtcNow;
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _clock;
    private long _evictions;
    private bool _disposed;

    public override ServeOptions Options { get; } = options;
    public override ModelStore Store { get; } = store;

    /// <summary>How many times a model was unloaded to make room.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public override async ValueTask<ModelLease> AcquireAsync(string? name, CancellationToken ct)
    {
        var manifest = Resolve(name);
        while (true)
        {
            Entry? entry;
            Task wait;
            var unload = new List<Entry>();
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_entries.TryGetValue(manifest.Name, out entry))
                {
                    Touch(entry);
                    entry.Users++;
                    wait = Task.CompletedTask;
                }
                else
                {
                    long need = Need(manifest);
                    long limit = Options.MaxMemoryBytes;
                    if (limit > 0 && need > limit)
                        throw new ModelTooLargeException($"{manifest.Name} needs about {Gib(need)} (file and KV cache) but the server may use {Gib(limit)} (--max-memory); raise the limit, or lower --ctx or --parallel");
                    foreach (var idle in _entries.Values.Where(e => e.Users == 0 && e.Loading.IsCompleted).OrderBy(e => e.LastUse).ToList())
                    {
                        if (limit == 0 || Used() + need <= limit) break;
                        _entries.Remove(idle.Name);
                        unload.Add(idle);
                        _evictions++;
                    }
                    if (limit > 0 && Used() + need > limit)
                    {
                        entry = null;
                        wait = _released.Task;
                    }
                    else
                    {
                        entry = new Entry(manifest.Name, need) { Users = 1 };
                        Touch(entry);
                        var path = Store.PathOf(manifest);
                        var canonical = manifest.Name;
                        entry.Loading = Task.Run(() => ModelHost.Load(Options with { ModelPath = path, EmbeddingModelPath = null }, canonical,
                            n => Store.Find(n)?.Name == canonical));
                        _entries[manifest.Name] = entry;
                        wait = Task.CompletedTask;
                    }
                }
            }
            foreach (var e in unload) await UnloadAsync(e).ConfigureAwait(false);
            if (entry is null)
            {
                // Every model that could make room is busy: wait until one of them finishes a request.
                await wait.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }
            try
            {
                var host = await entry.Loading.WaitAsync(ct).ConfigureAwait(false);
                return new ModelLease(host, () => Release(entry));
            }
            catch
            {
                Release(entry);
                lock (_gate)
                {
                    // A failed load leaves nothing behind, so the next request tries again.
                    if (entry.Loading.IsFaulted && _entries.GetValueOrDefault(entry.Name) == entry) _entries.Remove(entry.Name);
                }
                throw;
            }
        }
    }

    public override IReadOnlyList<LoadedModel> Loaded()
    {
        lock (_gate)
            return [.. _entries.Values
                .Where(e => e.Loading.IsCompletedSuccessfully)
                .OrderByDescending(e => e.LastUse)
                .Select(e => new LoadedModel(e.Name, e.Loading.Result, e.Bytes, e.LastUsed, e.Users))];
    }

    public override async ValueTask DisposeAsync()
    {
        List<Entry> all;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            all = [.. _entries.Values];
            _entries.Clear();
        }
        foreach (var e in all) await UnloadAsync(e).ConfigureAwait(false);
    }

    private ModelManifest Resolve(string? name)
    {
        var available = Store.List();
        if (string.IsNullOrWhiteSpace(name))
            throw new ModelNotFoundException($"name a model: this server serves {Names(available)}");
        var m = Store.Find(name);
        if (m is null)
        {
            var close = Store.CloseNames(name);
            throw new ModelNotFoundException($"model '{name}' is not in this server's store"
                + (close.Count > 0 ? $"; did you mean {string.Join(", ", close)}?" : $"; it serves {Names(available)}")
                + $" ('baimo pull {name}' adds it)");
        }
        if (!File.Exists(Store.PathOf(m))) throw new ModelNotFoundException($"the file of {m.Name} is missing from the store; pull it again");
        return m;
    }

    private long Need(ModelManifest m) => MemoryEstimate.Of(Store.PathOf(m), Options);

    private long Used() => _entries.Values.Sum(e => e.Bytes);

    private void Touch(Entry e)
    {
        e.LastUse = ++_clock;
        e.LastUsed = DateTimeOffset.UtcNow;
    }

    private void Release(Entry entry)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            entry.Users--;
            Touch(entry);
            released = _released;
            _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        released.TrySetResult();
    }

    private static async Task UnloadAsync(Entry e)
    {
        try
        {
            var host = await e.Loading.ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception) when (e.Loading.IsFaulted) { }
    }

    private static string Names(IReadOnlyList<ModelManifest> models) =>
        models.Count == 0 ? "no models yet ('baimo pull NAME' adds one)" : string.Join(", ", models.Select(m => m.Name));

    private static string Gib(long bytes) =>
        bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.##} GiB" : $"{bytes / (double)(1L << 20):0.#} MiB";
}

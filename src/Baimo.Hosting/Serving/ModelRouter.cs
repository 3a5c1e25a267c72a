using Baimo.Hosting.Store;

namespace Baimo.Hosting.Serving;

/// <summary>
/// Finds the loaded model a request names. With <c>serve -m</c> there is one, always loaded; serving the store,
/// models load on first use and unload when memory runs short. A lease keeps its model loaded until disposed.
/// </summary>
public abstract class ModelRouter : IAsyncDisposable
{
    public abstract ServeOptions Options { get; }

    /// <summary>The one model of a <c>serve -m</c> server; null when serving the store.</summary>
    public virtual ModelHost? Single => null;

    /// <summary>The store whose models are served by name; null for a <c>serve -m</c> server.</summary>
    public virtual ModelStore? Store => null;

    /// <summary>The model a request names, loading it when needed; throws <see cref="ModelNotFoundException"/> for a name nothing answers to.</summary>
    public abstract ValueTask<ModelLease> AcquireAsync(string? name, CancellationToken ct);

    /// <summary>The models loaded now.</summary>
    public abstract IReadOnlyList<LoadedModel> Loaded();

    public abstract ValueTask DisposeAsync();
}

/// <summary>A loaded model in use by one request; disposing it lets the router unload the model again.</summary>
public sealed class ModelLease(ModelHost host, Action? release) : IDisposable
{
    private Action? _release = release;

    public ModelHost Host { get; } = host;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

/// <summary>A model in memory: its host, its memory estimate, when it was last used and by how many requests now.</summary>
public sealed record LoadedModel(string Name, ModelHost Host, long MemoryBytes, DateTimeOffset LastUsed, int ActiveRequests);

/// <summary>A request named a model the server does not have; the message says what it does have.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message);

/// <summary>A model that alone needs more memory than the server may use.</summary>
public sealed class ModelTooLargeException(string message) : Exception(message);

using Baimo.Hosting.Store;

namespace Baimo.Hosting.Tests;

/// <summary>A store in a fresh temporary folder, deleted afterwards; tests never touch the real home folder.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore() => Store = new ModelStore(Directory.CreateTempSubdirectory("baimo-store-").FullName);

    public ModelStore Store { get; }

    /// <summary>Every file left under the store, relative to its root.</summary>
    public string[] Files() =>
        [.. Directory.EnumerateFiles(Store.Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Store.Root, f)).Order()];

    public void Dispose()
    {
        try { Directory.Delete(Store.Root, recursive: true); } catch (IOException) { }
    }
}

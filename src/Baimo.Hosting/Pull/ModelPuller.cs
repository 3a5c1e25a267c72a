using System.Security.Cryptography;
using Baimo.Hosting.Store;

namespace Baimo.Hosting.Pull;

/// <summary>What a pull did: the model now in the store and whether its bytes came over the network this time.</summary>
public sealed record PullResult(ModelManifest Manifest, string Path, bool Downloaded);

/// <summary>
/// <c>baimo pull</c>: resolves a name to one hub file, downloads it (resumable, one process at a time per
/// file), checks its SHA-256 against the hub's, moves it into place in one rename and records a manifest.
/// A file that fails the check is deleted, never kept under its final name.
/// </summary>
public sealed class ModelPuller(ModelStore store, HttpClient http, PullSettings settings)
{
    public async Task<PullResult> PullAsync(string name, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        var reference = ModelReference.Parse(name);
        var hub = HubFor(reference.Hub);
        progress?.Report(new PullProgress(PullPhase.Resolving, reference.DisplayRepository, 0, -1, 0));
        var files = await hub.ListFilesAsync(reference.Repository, ct).ConfigureAwait(false);
        var file = GgufFileChooser.Choose(reference, files);
        var sha = file.Sha256;
        if (sha is null || sha.Length != 64 || !sha.All(Uri.IsHexDigit))
            throw new PullException($"{hub.Endpoint.Host} publishes no SHA-256 for {file.Path}; Baimo does not keep files it cannot verify");
        var source = hub.DownloadUri(reference.Repository, file.Path);
        var blob = store.BlobPath(sha);

        bool downloaded = false;
        if (!IsComplete(blob, file))
        {
            using var held = await FileLock.AcquireAsync(store.LockPath(sha),
                () => progress?.Report(new PullProgress(PullPhase.Waiting, file.Path, 0, file.Size, 0, "another pull of this file is under way; waiting for it")),
                ct).ConfigureAwait(false);
            // Whoever held the lock may have finished the very file this pull wants.
            if (!IsComplete(blob, file))
            {
                var partial = store.PartialPath(sha);
                await new BlobDownloader(http, hub, settings, progress).DownloadAsync(source, partial, file, ct).ConfigureAwait(false);
                progress?.Report(new PullProgress(PullPhase.Verifying, file.Path, file.Size, file.Size, 0));
                var actual = await Sha256Async(partial, ct).ConfigureAwait(false);
                if (actual != sha)
                {
                    File.Delete(partial);
                    throw new PullException($"{file.Path} failed its checksum: the hub says sha256 {sha}, the download is {actual}; the file was deleted, pull again to retry");
                }
                File.Move(partial, blob, overwrite: true);
                downloaded = true;
            }
        }

        (string arch, string type) facts;
        try { facts = GgufFacts.Read(blob); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PullException($"{file.Path} is not a GGUF model Baimo can read: {e.Message}", e);
        }
        var manifest = new ModelManifest
        {
            Name = reference.Name,
            Source = source.AbsoluteUri,
            Repository = reference.DisplayRepository,
            File = file.Path,
            Sha256 = sha,
            Size = new FileInfo(blob).Length,
            Architecture = facts.arch,
            WeightType = facts.type,
            PulledAt = DateTimeOffset.UtcNow,
        };
        store.Save(manifest);
        progress?.Report(new PullProgress(PullPhase.Done, file.Path, manifest.Size, manifest.Size, 0));
        return new PullResult(manifest, blob, downloaded);
    }

    private IModelHub HubFor(HubKind kind) => kind switch
    {
        HubKind.HuggingFace => new HuggingFaceHub(http, settings.HuggingFaceEndpoint, settings.HuggingFaceToken),
        _ => new ModelScopeHub(http, settings.ModelScopeEndpoint, settings.ModelScopeToken),
    };

    /// <summary>A blob is only ever created by the rename after its checksum passed, so its size is check enough.</summary>
    private static bool IsComplete(string blob, HubFile file) =>
        File.Exists(blob) && (file.Size < 0 || new FileInfo(blob).Length == file.Size);

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
    }
}

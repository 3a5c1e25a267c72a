namespace Baimo.Hosting.Pull;

/// <summary>A model hub's two operations a pull needs: list a repository's files, and where to download one.</summary>
public interface IModelHub
{
    /// <summary>The base URL, e.g. https://huggingface.co or a mirror.</summary>
    Uri Endpoint { get; }

    /// <summary>Every file of the repository's main branch; throws <see cref="PullException"/> for a missing repository.</summary>
    Task<IReadOnlyList<HubFile>> ListFilesAsync(string repository, CancellationToken ct);

    Uri DownloadUri(string repository, string file);

    /// <summary>Adds credentials, when configured, to a request for this hub.</summary>
    void Authorize(HttpRequestMessage request);
}

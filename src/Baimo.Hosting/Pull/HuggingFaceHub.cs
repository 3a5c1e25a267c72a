using System.Net.Http.Headers;
using System.Text.Json;

namespace Baimo.Hosting.Pull;

/// <summary>
/// Hugging Face (or a mirror of its API such as hf-mirror.com): the tree listing gives each LFS file's
/// SHA-256 as <c>lfs.oid</c>; files download from <c>/{repo}/resolve/main/{file}</c>.
/// </summary>
public sealed class HuggingFaceHub(HttpClient http, string endpoint, string? token = null) : IModelHub
{
    public const string DefaultEndpoint = "https://huggingface.co";

    public Uri Endpoint { get; } = HubRequests.Normalize(endpoint);

    public async Task<IReadOnlyList<HubFile>> ListFilesAsync(string repository, CancellationToken ct)
    {
        var files = new List<HubFile>();
        Uri? next = new(Endpoint, $"api/models/{HubRequests.EscapePath(repository)}/tree/main?recursive=true");
        // Large repositories are paged; the next page is announced in a Link header.
        for (int page = 0; next != null && page < 100; page++)
        {
            var (json, response) = await HubRequests.GetJsonAsync(http, this, next, ModelReference.HuggingFacePrefix + repository, ct).ConfigureAwait(false);
            using (json)
            {
                if (json.RootElement.ValueKind != JsonValueKind.Array)
                    throw new PullException($"{Endpoint.Host} sent an unexpected file list for {repository}");
                foreach (var e in json.RootElement.EnumerateArray())
                {
                    if (e.TryGetProperty("type", out var type) && type.GetString() != "file") continue;
                    var path = e.TryGetProperty("path", out var p) ? p.GetString() : null;
                    if (path is null) continue;
                    long size = e.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : -1;
                    string? sha = null;
                    if (e.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
                    {
                        sha = lfs.TryGetProperty("oid", out var oid) ? oid.GetString() : null;
                        if (lfs.TryGetProperty("size", out var ls) && ls.TryGetInt64(out var ln)) size = ln;
                    }
                    files.Add(new HubFile(path, size, sha?.ToLowerInvariant()));
                }
            }
            next = NextPage(response);
        }
        return files;
    }

    public Uri DownloadUri(string repository, string file) =>
        new(Endpoint, $"{HubRequests.EscapePath(repository)}/resolve/main/{HubRequests.EscapePath(file)}");

    public void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private static Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            if (!link.Contains("rel=\"next\"", StringComparison.Ordinal)) continue;
            int a = link.IndexOf('<'), b = link.IndexOf('>');
            if (a >= 0 && b > a && Uri.TryCreate(link[(a + 1)..b], UriKind.Absolute, out var uri)) return uri;
        }
        return null;
    }
}

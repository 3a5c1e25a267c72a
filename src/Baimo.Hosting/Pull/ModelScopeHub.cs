using System.Net.Http.Headers;
using System.Text.Json;

namespace Baimo.Hosting.Pull;

/// <summary>
/// ModelScope: <c>/api/v1/models/{owner}/{repo}/repo/files?Recursive=true</c> lists files with
/// <c>Sha256</c> and <c>Size</c> inside <c>Data.Files</c>; files download from <c>/models/{repo}/resolve/master/{file}</c>.
/// </summary>
public sealed class ModelScopeHub(HttpClient http, string endpoint, string? token = null) : IModelHub
{
    public const string DefaultEndpoint = "https://modelscope.cn";

    public Uri Endpoint { get; } = HubRequests.Normalize(endpoint);

    public async Task<IReadOnlyList<HubFile>> ListFilesAsync(string repository, CancellationToken ct)
    {
        var uri = new Uri(Endpoint, $"api/v1/models/{HubRequests.EscapePath(repository)}/repo/files?Recursive=true&Revision=master");
        var (json, _) = await HubRequests.GetJsonAsync(http, this, uri, ModelReference.ModelScopePrefix + repository, ct).ConfigureAwait(false);
        using (json)
        {
            var root = json.RootElement;
            // ModelScope reports some failures (a missing repository among them) as 200 with Success=false.
            if (Get(root, "Success") is { ValueKind: JsonValueKind.False } || Get(root, "Code") is { ValueKind: JsonValueKind.Number } code && code.GetInt32() != 200)
                throw new PullException($"repository {ModelReference.ModelScopePrefix}{repository} not found on {Endpoint.Host}"
                    + (Get(root, "Message")?.GetString() is { Length: > 0 } m ? $" ({m})" : ""));
            var list = Get(root, "Data") is { } data ? Get(data, "Files") : null;
            if (list is not { ValueKind: JsonValueKind.Array })
                throw new PullException($"{Endpoint.Host} sent an unexpected file list for {repository}");
            var files = new List<HubFile>();
            foreach (var f in list.Value.EnumerateArray())
            {
                if (Get(f, "Type")?.GetString() is "tree") continue;
                var path = Get(f, "Path")?.GetString() ?? Get(f, "Name")?.GetString();
                if (path is null) continue;
                long size = Get(f, "Size") is { ValueKind: JsonValueKind.Number } s ? s.GetInt64() : -1;
                files.Add(new HubFile(path, size, Get(f, "Sha256")?.GetString()?.ToLowerInvariant()));
            }
            return files;
        }
    }

    public Uri DownloadUri(string repository, string file) =>
        new(Endpoint, $"models/{HubRequests.EscapePath(repository)}/resolve/master/{HubRequests.EscapePath(file)}");

    public void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A property by name, ignoring case: the API's casing is not documented as stable.</summary>
    private static JsonElement? Get(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in e.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }
}

using System.Net;
using System.Text.Json;

namespace Baimo.Hosting.Pull;

/// <summary>The listing request both hubs share, turning HTTP and network failures into messages that say what to do.</summary>
internal static class HubRequests
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(60);

    public static async Task<(JsonDocument Json, HttpResponseMessage Response)> GetJsonAsync(
        HttpClient http, IModelHub hub, Uri uri, string display, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        hub.Authorize(request);
        HttpResponseMessage response;
        // Downloads run without a client-wide timeout (they take hours); a file list that takes a minute is a dead server.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(ListTimeout);
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new PullException($"cannot reach {hub.Endpoint.GetLeftPart(UriPartial.Authority)}: {e.Message} (check the network, or set a mirror)", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PullException($"{hub.Endpoint.GetLeftPart(UriPartial.Authority)} did not answer in time", e);
        }
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    throw new PullException($"repository {display} not found on {hub.Endpoint.GetLeftPart(UriPartial.Authority)}");
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new PullException($"repository {display} was not found or needs access rights on {hub.Endpoint.GetLeftPart(UriPartial.Authority)} (private and gated repositories need a token)");
            }
            if (!response.IsSuccessStatusCode)
                throw new PullException($"{hub.Endpoint.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode} {response.ReasonPhrase} listing {display}");
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            try
            {
                return (JsonDocument.Parse(bytes), response);
            }
            catch (JsonException e)
            {
                throw new PullException($"{hub.Endpoint.GetLeftPart(UriPartial.Authority)} sent a file list that is not JSON for {display}", e);
            }
        }
    }

    /// <summary>Each path segment escaped, the slashes kept: repository files may sit in folders.</summary>
    public static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>An endpoint with a trailing slash, so relative URIs append rather than replace its last segment.</summary>
    public static Uri Normalize(string endpoint)
    {
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new PullException($"'{endpoint}' is not an http(s) URL for a hub endpoint");
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}

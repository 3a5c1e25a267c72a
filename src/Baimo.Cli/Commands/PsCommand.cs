using System.CommandLine;
using System.Text.Json;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo ps [--host URL]</c>: the models a running server has loaded, from its <c>GET /api/ps</c>.</summary>
public static class PsCommand
{
    public static Command Build()
    {
        var host = new Option<string>("--host")
        {
            Description = "The server's address (default: BAIMO_HOST or http://127.0.0.1:8080)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BAIMO_HOST") is { Length: > 0 } h ? h : "http://127.0.0.1:8080",
        };
        var apiKey = new Option<string?>("--api-key") { Description = "The server's API key, when it needs one" };
        var cmd = new Command("ps", "List the models loaded in a running server") { host, apiKey };
        cmd.SetAction(async (pr, ct) =>
        {
            var baseUri = BaseUri(pr.GetValue(host)!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "api/ps"));
            if (pr.GetValue(apiKey) is { Length: > 0 } key) request.Headers.Authorization = new("Bearer", key);
            HttpResponseMessage response;
            try { response = await http.SendAsync(request, ct); }
            catch (HttpRequestException e) { throw new IOException($"no server answers at {baseUri} ({e.Message}); start one with 'baimo serve'", e); }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode) throw new IOException($"{baseUri} answered {(int)response.StatusCode}: {text}");
                using var doc = JsonDocument.Parse(text);
                var rows = doc.RootElement.GetProperty("models").EnumerateArray().Select(m => new[]
                {
                    m.GetProperty("name").GetString() ?? "",
                    m.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? InspectCommand.FormatBytes(n) : "",
                    m.TryGetProperty("context_length", out var c) ? c.ToString() : "",
                    m.TryGetProperty("details", out var d) && d.TryGetProperty("family", out var f) ? f.GetString() ?? "" : "",
                }).ToList();
                var output = pr.InvocationConfiguration.Output;
                if (rows.Count == 0) output.WriteLine("no models loaded");
                else Table.Write(output, ["NAME", "SIZE", "CONTEXT", "ARCH"], rows);
            }
            return Cli.Ok;
        });
        return cmd;
    }

    private static Uri BaseUri(string host)
    {
        var text = host.Contains("://", StringComparison.Ordinal) ? host : "http://" + host;
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri))
            throw new UsageException($"--host must be a URL such as http://127.0.0.1:8080 (got '{host}')");
        return uri;
    }
}

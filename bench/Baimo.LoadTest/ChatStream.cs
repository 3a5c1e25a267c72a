using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Baimo.LoadTest;

/// <summary>The outcome of one streaming chat completion.</summary>
public sealed record StreamResult(HttpStatusCode? Status, bool Ok, bool Aborted, int Tokens, double TtftSeconds, double TotalSeconds, string? Error);

/// <summary>One streaming <c>POST /v1/chat/completions</c>, read chunk by chunk.</summary>
public static class ChatStream
{
    public static HttpContent Body(string model, string prompt, int maxTokens)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteStartArray("messages");
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteString("content", prompt);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteNumber("max_tokens", maxTokens);
            w.WriteNumber("temperature", 0);
            w.WriteBoolean("stream", true);
            w.WriteStartObject("stream_options");
            w.WriteBoolean("include_usage", true);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var content = new ByteArrayContent(ms.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Runs one request; with <paramref name="abortAfter"/> the response is dropped after that many content chunks.</summary>
    public static async Task<StreamResult> RunAsync(HttpClient http, Uri baseUri, string model, string prompt, int maxTokens,
        int? abortAfter, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        double ttft = double.NaN;
        int chunks = 0, usageTokens = -1;
        HttpStatusCode? status = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "v1/chat/completions"))
            {
                Content = Body(model, prompt, maxTokens),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                string text = await response.Content.ReadAsStringAsync(ct);
                return new StreamResult(status, false, false, 0, ttft, sw.Elapsed.TotalSeconds, Trim(text));
            }
            using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            bool done = false;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
                var data = line.AsSpan(5).Trim();
                if (data.SequenceEqual("[DONE]")) { done = true; break; }
                using var doc = JsonDocument.Parse(data.ToString());
                var root = doc.RootElement;
                if (root.TryGetProperty("error", out var err))
                    return new StreamResult(status, false, false, chunks, ttft, sw.Elapsed.TotalSeconds, Trim(err.ToString()));
                if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                    && usage.TryGetProperty("completion_tokens", out var ctok))
                    usageTokens = ctok.GetInt32();
                if (root.TryGetProperty("choices", out var choices))
                    foreach (var choice in choices.EnumerateArray())
                        if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var c)
                            && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 })
                        {
                            if (chunks++ == 0) ttft = sw.Elapsed.TotalSeconds;
                        }
                if (abortAfter is { } n && chunks >= n)
                    return new StreamResult(status, true, true, chunks, ttft, sw.Elapsed.TotalSeconds, null);
            }
            if (!done)
                return new StreamResult(status, false, false, chunks, ttft, sw.Elapsed.TotalSeconds, "stream ended without [DONE]");
            return new StreamResult(status, true, false, usageTokens >= 0 ? usageTokens : chunks, ttft, sw.Elapsed.TotalSeconds, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or TaskCanceledException or OperationCanceledException)
        {
            return new StreamResult(status, false, false, chunks, ttft, sw.Elapsed.TotalSeconds, e.GetType().Name + ": " + Trim(e.Message));
        }
    }

    private static string Trim(string s) => s.Length > 200 ? s[..200] + "…" : s;
}

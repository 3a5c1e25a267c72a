using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Baimo.Hosting;
using Baimo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Baimo.Server.Tests;

/// <summary>A server hosted in memory over stories260K (and the synthetic BERT model for embeddings).</summary>
public sealed class TestServerHost : IAsyncDisposable
{
    public static string ChatModel => Oracle.Path("models", "stories260K.gguf");
    public static string EmbeddingModel => Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf");

    private TestServerHost(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public ModelHost Models => (ModelHost)App.Services.GetService(typeof(ModelHost))!;

    public static async Task<TestServerHost> StartAsync(Func<ServeOptions, ServeOptions>? adjust = null)
    {
        var options = new ServeOptions { ModelPath = ChatModel, EmbeddingModelPath = EmbeddingModel, Parallel = 2, ContextLength = 1024, Port = 0 };
        if (adjust != null) options = adjust(options);
        var app = ServerApp.Build(options, b => b.WebHost.UseTestServer());
        await app.StartAsync();
        return new TestServerHost(app, app.GetTestClient());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>One in-memory server shared by the tests of a class.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    public TestServerHost Host { get; private set; } = null!;
    public HttpClient Client => Host.Client;
    public async Task InitializeAsync() => Host = await TestServerHost.StartAsync();
    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(int Status, JsonElement Body)> PostAsync(HttpClient client, string path, string json, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        if (key != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await BodyAsync(response));
    }

    public static async Task<(int Status, JsonElement Body)> GetAsync(HttpClient client, string path, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await BodyAsync(response));
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0 || response.Content.Headers.ContentType?.MediaType != "application/json") return default;
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>The JSON payloads of an SSE body, and whether it ended with <c>data: [DONE]</c>.</summary>
    public static (List<JsonElement> Events, bool Done) ParseSse(string body)
    {
        var events = new List<JsonElement>();
        bool done = false;
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block);
            var data = block["data: ".Length..];
            if (data == "[DONE]") { done = true; continue; }
            Assert.False(done, "an event after [DONE]");
            using var doc = JsonDocument.Parse(data);
            events.Add(doc.RootElement.Clone());
        }
        return (events, done);
    }

    public static List<JsonElement> ParseNdjson(string body) =>
        [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => { using var d = JsonDocument.Parse(line); return d.RootElement.Clone(); })];

    /// <summary>Asserts OpenAI's error shape and returns the error object.</summary>
    public static JsonElement OpenAiError(JsonElement body)
    {
        var e = body.GetProperty("error");
        Assert.Equal(JsonValueKind.String, e.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, e.GetProperty("type").ValueKind);
        Assert.True(e.TryGetProperty("param", out _));
        Assert.True(e.TryGetProperty("code", out _));
        return e;
    }
}

namespace Baimo.Server.Tests;

public sealed class KeyedServer : IAsyncLifetime
{
    public const string Key = "sk-test-0123456789";
    public TestServerHost Host { get; private set; } = null!;
    public async Task InitializeAsync() => Host = await TestServerHost.StartAsync(o => o with { ApiKey = Key, EmbeddingModelPath = null });
    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public class ApiKeyTests(KeyedServer server) : IClassFixture<KeyedServer>
{
    private HttpClient Client => server.Host.Client;

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/api/tags")]
    [InlineData("/metrics")]
    public async Task EveryRouteButHealthNeedsTheKey(string path)
    {
        var (missing, body) = await Http.GetAsync(Client, path);
        Assert.Equal(401, missing);
        // OpenAI's error object, Ollama's error string.
        if (path != "/metrics")
            Assert.Equal(path.StartsWith("/api/") ? System.Text.Json.JsonValueKind.String : System.Text.Json.JsonValueKind.Object, body.GetProperty("error").ValueKind);
        var (wrong, _) = await Http.GetAsync(Client, path, "sk-wrong");
        Assert.Equal(401, wrong);
        var (right, _) = await Http.GetAsync(Client, path, KeyedServer.Key);
        Assert.Equal(200, right);
    }

    [Fact]
    public async Task AMissingKeyIs401InOpenAisShape()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Http.Json("""{"messages":[{"role":"user","content":"Hi"}]}"""));
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_api_key", Http.OpenAiError(doc.RootElement).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AWrongKeyIs401()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":2}""", "sk-test-0123456780");
        Assert.Equal(401, status);
        Assert.Equal("Incorrect API key provided.", Http.OpenAiError(body).GetProperty("message").GetString());
    }

    [Fact]
    public async Task HealthNeedsNoKey()
    {
        var (status, _) = await Http.GetAsync(Client, "/health");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task TheRightKeyIsServed()
    {
        var (status, _) = await Http.PostAsync(Client, "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":2}""", KeyedServer.Key);
        Assert.Equal(200, status);
    }
}

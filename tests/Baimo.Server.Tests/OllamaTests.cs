using System.Text.Json;

namespace Baimo.Server.Tests;

public class OllamaTests(SharedServer server) : IClassFixture<SharedServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task ChatStreamsNdjsonByDefault()
    {
        using var response = await Client.PostAsync("/api/chat", Http.Json(
            """{"model":"stories260K","messages":[{"role":"user","content":"Hi"}],"options":{"num_predict":6,"temperature":0}}"""));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        var lines = Http.ParseNdjson(await response.Content.ReadAsStringAsync());
        Assert.True(lines.Count >= 2);
        Assert.All(lines[..^1], l => Assert.False(l.GetProperty("done").GetBoolean()));
        var last = lines[^1];
        Assert.True(last.GetProperty("done").GetBoolean());
        Assert.Equal("length", last.GetProperty("done_reason").GetString());
        Assert.Equal(6, last.GetProperty("eval_count").GetInt32());
        Assert.True(last.GetProperty("prompt_eval_count").GetInt32() > 0);
        Assert.NotEmpty(string.Concat(lines.Select(l => l.GetProperty("message").GetProperty("content").GetString())));
    }

    [Fact]
    public async Task ChatWithoutStreamingAnswersOnce()
    {
        var (status, body) = await Http.PostAsync(Client, "/api/chat",
            """{"model":"stories260K","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"stream":false,"options":{"num_predict":5,"temperature":0,"seed":1,"num_ctx":2048}}""");
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("done").GetBoolean());
        Assert.Equal("assistant", body.GetProperty("message").GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetProperty("content").GetString()));
    }

    [Fact]
    public async Task GenerateStreamsAndRawSkipsTheTemplate()
    {
        using var response = await Client.PostAsync("/api/generate", Http.Json("""{"model":"stories260K","prompt":"Once upon a time","options":{"num_predict":5}}"""));
        var lines = Http.ParseNdjson(await response.Content.ReadAsStringAsync());
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
        Assert.NotEmpty(string.Concat(lines.Select(l => l.GetProperty("response").GetString())));

        var (status, raw) = await Http.PostAsync(Client, "/api/generate", """{"model":"stories260K","prompt":"Once upon a time","raw":true,"stream":false,"options":{"num_predict":5,"temperature":0}}""");
        Assert.Equal(200, status);
        Assert.InRange(raw.GetProperty("prompt_eval_count").GetInt32(), 2, 10); // no template around it
        Assert.False(string.IsNullOrEmpty(raw.GetProperty("response").GetString()));
    }

    [Fact]
    public async Task GenerateWithAnEmptyPromptOnlyLoads()
    {
        var (status, body) = await Http.PostAsync(Client, "/api/generate", """{"model":"stories260K"}""");
        Assert.Equal(200, status);
        Assert.Equal("load", body.GetProperty("done_reason").GetString());
    }

    [Fact]
    public async Task EmbedReturnsOneVectorPerInput()
    {
        var (status, body) = await Http.PostAsync(Client, "/api/embed", """{"model":"synth-bert-F32","input":["one","two","three"]}""");
        Assert.Equal(200, status);
        Assert.Equal(3, body.GetProperty("embeddings").GetArrayLength());
        Assert.True(body.GetProperty("prompt_eval_count").GetInt32() >= 3);
    }

    [Fact]
    public async Task TagsPsShowAndVersionDescribeTheModels()
    {
        var (_, tags) = await Http.GetAsync(Client, "/api/tags");
        var names = tags.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("stories260K", names);
        Assert.Equal("gguf", tags.GetProperty("models")[0].GetProperty("details").GetProperty("format").GetString());
        Assert.True(tags.GetProperty("models")[0].GetProperty("size").GetInt64() > 0);

        var (_, ps) = await Http.GetAsync(Client, "/api/ps");
        Assert.Equal(2, ps.GetProperty("models").GetArrayLength());

        var (status, show) = await Http.PostAsync(Client, "/api/show", """{"model":"stories260K"}""");
        Assert.Equal(200, status);
        Assert.Equal("llama", show.GetProperty("details").GetProperty("family").GetString());
        Assert.Contains("completion", show.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var (_, showBert) = await Http.PostAsync(Client, "/api/show", """{"name":"synth-bert-F32"}""");
        Assert.Contains("embedding", showBert.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));

        var (_, version) = await Http.GetAsync(Client, "/api/version");
        Assert.Matches(@"^\d+\.\d+\.\d+$", version.GetProperty("version").GetString());
    }

    [Fact]
    public async Task ErrorsUseOllamasShape()
    {
        var (status, body) = await Http.PostAsync(Client, "/api/chat", """{"model":"llama9","messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(404, status);
        Assert.Equal(JsonValueKind.String, body.GetProperty("error").ValueKind);
        var (bad, images) = await Http.PostAsync(Client, "/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"Hi","images":["aGk="]}]}""");
        Assert.Equal(400, bad);
        Assert.Contains("images", images.GetProperty("error").GetString());
    }
}

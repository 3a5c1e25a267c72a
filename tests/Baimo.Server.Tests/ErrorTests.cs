using System.Text.Json;

namespace Baimo.Server.Tests;

/// <summary>Bad input is a 4xx in OpenAI's error shape, never a 500.</summary>
public class ErrorTests(SharedServer server) : IClassFixture<SharedServer>
{
    private HttpClient Client => server.Client;

    private async Task<JsonElement> ExpectAsync(int status, string path, string json, string? param = null, string? code = null)
    {
        var (got, body) = await Http.PostAsync(Client, path, json);
        Assert.True(got == status, $"{path} {json[..Math.Min(json.Length, 80)]}: expected {status}, got {got}: {body}");
        var e = Http.OpenAiError(body);
        if (param != null) Assert.Equal(param, e.GetProperty("param").GetString());
        if (code != null) Assert.Equal(code, e.GetProperty("code").GetString());
        return e;
    }

    [Fact]
    public Task MalformedJsonIs400() =>
        ExpectAsync(400, "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}""", code: "invalid_json");

    [Fact]
    public Task AnEmptyBodyIs400() => ExpectAsync(400, "/v1/chat/completions", "", code: "invalid_json");

    [Fact]
    public Task ABodyThatIsNotAnObjectIs400() => ExpectAsync(400, "/v1/completions", "[1,2]");

    [Fact]
    public async Task AnOversizeBodyIs413()
    {
        var huge = new string('a', 9 * 1024 * 1024);
        await ExpectAsync(413, "/v1/chat/completions", $$"""{"messages":[{"role":"user","content":"{{huge}}"}]}""", code: "request_too_large");
    }

    [Fact]
    public Task AnUnknownModelIs404() =>
        ExpectAsync(404, "/v1/chat/completions", """{"model":"gpt-9","messages":[{"role":"user","content":"Hi"}]}""", "model", "model_not_found");

    [Fact]
    public async Task APromptLongerThanTheContextIs400()
    {
        var words = string.Join(' ', Enumerable.Repeat("story", 3000));
        await ExpectAsync(400, "/v1/chat/completions", $$"""{"messages":[{"role":"user","content":"{{words}}"}]}""", code: "context_length_exceeded");
        await ExpectAsync(400, "/v1/completions", $$"""{"prompt":"{{words}}"}""", code: "context_length_exceeded");
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"n":2}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logit_bias":{"50":10}}""", "logit_bias")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"audio":{"voice":"alloy"}}""", "audio")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://x"}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"messages":[{"role":"function","content":"x"}]}""", "messages[0].role")]
    public Task UnsupportedParametersAre400(string json, string param) =>
        ExpectAsync(400, "/v1/chat/completions", json, param, "unsupported_parameter");

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"frobnicate":1}""", "frobnicate", "unknown_parameter")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi","colour":"red"}]}""", "messages[0].colour", "unknown_parameter")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"temperature":7}""", "temperature", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"temperature":"hot"}""", "temperature", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":0}""", "max_tokens", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"top_logprobs":2}""", "top_logprobs", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"stream_options":{"include_usage":true}}""", "stream_options", "invalid_value")]
    [InlineData("""{"messages":[]}""", "messages", "invalid_value")]
    [InlineData("""{"model":"stories260K"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"messages":[{"role":"wizard","content":"Hi"}]}""", "messages[0].role", "invalid_value")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}]}""", "messages[0].tool_call_id", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tool_choice":{"type":"function","function":{"name":"nope"}}}""", "tool_choice.function.name", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"xml"}}""", "response_format.type", "invalid_value")]
    public Task InvalidValuesAre400NamingTheParameter(string json, string param, string code) =>
        ExpectAsync(400, "/v1/chat/completions", json, param, code);

    [Fact]
    public async Task AnUnsatisfiableSchemaIs400()
    {
        await ExpectAsync(400, "/v1/chat/completions", """
            {"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"$ref":"http://example.com/schema"}}}}
            """);
    }

    [Fact]
    public async Task CompletionsAndEmbeddingsRefuseWhatTheyCannotDo()
    {
        await ExpectAsync(400, "/v1/completions", """{"prompt":"Hi","echo":true}""", "echo", "unsupported_parameter");
        await ExpectAsync(400, "/v1/completions", """{"prompt":["a","b"]}""", "prompt", "unsupported_parameter");
        await ExpectAsync(400, "/v1/completions", """{"prompt":[99999999]}""", "prompt");
        await ExpectAsync(400, "/v1/embeddings", """{"input":"Hi","dimensions":7}""", "dimensions", "unsupported_parameter");
        await ExpectAsync(400, "/v1/embeddings", """{"input":"Hi","model":"stories260K"}""", "model", "model_not_supported");
        await ExpectAsync(404, "/v1/embeddings", """{"input":"Hi","model":"text-embedding-3-small"}""", "model", "model_not_found");
    }

    [Fact]
    public async Task AnUnknownRouteIs404AndTheServerKeepsServing()
    {
        var (status, _) = await Http.GetAsync(Client, "/v2/nothing");
        Assert.Equal(404, status);
        var (ok, _) = await Http.GetAsync(Client, "/health");
        Assert.Equal(200, ok);
    }
}

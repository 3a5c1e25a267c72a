using System.Text.Json;

namespace Baimo.Server.Tests;

public class OpenAiChatTests(SharedServer server) : IClassFixture<SharedServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task ChatCompletionReturnsAMessageAndUsage()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions",
            """{"model":"stories260K","messages":[{"role":"system","content":"Tell a story."},{"role":"user","content":"Once upon a time"}],"max_tokens":8,"temperature":0}""");
        Assert.Equal(200, status);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal("stories260K", body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("message").GetProperty("content").GetString()));
        Assert.Contains(choice.GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.InRange(usage.GetProperty("completion_tokens").GetInt32(), 1, 8);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamingSendsSseChunksThenUsageThenDone()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Http.Json(
            """{"messages":[{"role":"user","content":"Hello"}],"max_tokens":6,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}"""));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var (events, done) = Http.ParseSse(await response.Content.ReadAsStringAsync());
        Assert.True(done);
        Assert.All(events, e => Assert.Equal("chat.completion.chunk", e.GetProperty("object").GetString()));
        Assert.Equal("assistant", events[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var withChoices = events.Where(e => e.GetProperty("choices").GetArrayLength() > 0).ToList();
        Assert.Equal(JsonValueKind.String, withChoices[^1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        var last = events[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.InRange(last.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 1, 6);
        var text = string.Concat(withChoices.Select(e => e.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString() : ""));
        Assert.NotEmpty(text);
    }

    [Fact]
    public async Task StreamedAndWholeRepliesAgreeWhenGreedy()
    {
        const string messages = """[{"role":"user","content":"The cat"}]""";
        var (_, whole) = await Http.PostAsync(Client, "/v1/chat/completions", $$"""{"messages":{{messages}},"max_tokens":12,"temperature":0}""");
        using var response = await Client.PostAsync("/v1/chat/completions", Http.Json($$"""{"messages":{{messages}},"max_tokens":12,"temperature":0,"stream":true}"""));
        var (events, _) = Http.ParseSse(await response.Content.ReadAsStringAsync());
        var streamed = string.Concat(events.Select(e => e.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString() : ""));
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), streamed);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameText()
    {
        const string body = """{"messages":[{"role":"user","content":"A dog"}],"max_tokens":10,"temperature":1.0,"seed":42,"presence_penalty":0.5,"frequency_penalty":0.5,"top_p":0.9}""";
        var (_, a) = await Http.PostAsync(Client, "/v1/chat/completions", body);
        var (_, b) = await Http.PostAsync(Client, "/v1/chat/completions", body);
        Assert.Equal(a.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(),
            b.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task LogprobsListEveryTokenWithItsAlternatives()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":5,"temperature":0,"logprobs":true,"top_logprobs":3}""");
        Assert.Equal(200, status);
        var content = body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.Equal(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), content.GetArrayLength());
        foreach (var t in content.EnumerateArray())
        {
            Assert.True(t.GetProperty("logprob").GetSingle() <= 0);
            Assert.Equal(3, t.GetProperty("top_logprobs").GetArrayLength());
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(t.GetProperty("top_logprobs")[0].GetProperty("logprob").GetSingle(), t.GetProperty("logprob").GetSingle(), 3);
        }
    }

    [Fact]
    public async Task StopStringsEndTheReplyBeforeTheStopText()
    {
        var (_, free) = await Http.PostAsync(Client, "/v1/chat/completions", """{"messages":[{"role":"user","content":"Once"}],"max_tokens":30,"temperature":0}""");
        var text = free.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.True(text.Length > 4, text);
        var stop = text.Substring(3, 2);
        var (_, stopped) = await Http.PostAsync(Client, "/v1/chat/completions",
            $$"""{"messages":[{"role":"user","content":"Once"}],"max_tokens":30,"temperature":0,"stop":[{{JsonSerializer.Serialize(stop)}}]}""");
        var choice = stopped.GetProperty("choices")[0];
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ConversationsWithToolsAndToolResultsAreAccepted()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions", """
            {"messages":[
              {"role":"user","content":"What is the weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
             "tool_choice":"auto","parallel_tool_calls":true,"max_tokens":8,"temperature":0}
            """);
        Assert.Equal(200, status);
        Assert.Contains(body.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), new[] { "stop", "length", "tool_calls" });
    }

    [Fact]
    public async Task JsonObjectResponseFormatIsEnforced()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"Give me JSON"}],"response_format":{"type":"json_object"},"max_tokens":200,"temperature":0}""");
        Assert.Equal(200, status);
        var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        if (body.GetProperty("choices")[0].GetProperty("finish_reason").GetString() == "stop")
        {
            using var doc = JsonDocument.Parse(content);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        }
        else Assert.StartsWith("{", content.TrimStart());
    }

    [Fact]
    public async Task JsonSchemaResponseFormatIsEnforced()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions", """
            {"messages":[{"role":"user","content":"A pet"}],"max_tokens":300,"temperature":0,
             "response_format":{"type":"json_schema","json_schema":{"name":"pet","strict":true,"schema":
               {"type":"object","properties":{"name":{"type":"string","maxLength":8},"kind":{"enum":["cat","dog"]}},"required":["name","kind"],"additionalProperties":false}}}}
            """);
        Assert.Equal(200, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        using var doc = JsonDocument.Parse(choice.GetProperty("message").GetProperty("content").GetString()!);
        Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("name").ValueKind);
        Assert.Contains(doc.RootElement.GetProperty("kind").GetString(), new[] { "cat", "dog" });
    }
}

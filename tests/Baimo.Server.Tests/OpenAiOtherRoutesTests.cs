using System.Text.Json;

namespace Baimo.Server.Tests;

public class OpenAiOtherRoutesTests(SharedServer server) : IClassFixture<SharedServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task CompletionContinuesARawPrompt()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/completions", """{"model":"stories260K","prompt":"Once upon a time","max_tokens":7,"temperature":0}""");
        Assert.Equal(200, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("text").GetString()));
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.InRange(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 1, 7);
    }

    [Fact]
    public async Task CompletionAcceptsTokenIdsAndReportsLogprobs()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/completions", """{"prompt":[1, 403, 407],"max_tokens":4,"temperature":0,"logprobs":2}""");
        Assert.Equal(200, status);
        Assert.Equal(3, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        var lp = body.GetProperty("choices")[0].GetProperty("logprobs");
        int n = lp.GetProperty("tokens").GetArrayLength();
        Assert.Equal(n, lp.GetProperty("token_logprobs").GetArrayLength());
        Assert.Equal(n, lp.GetProperty("text_offset").GetArrayLength());
        Assert.Equal(n, lp.GetProperty("top_logprobs").GetArrayLength());
    }

    [Fact]
    public async Task CompletionStreams()
    {
        using var response = await Client.PostAsync("/v1/completions", Http.Json(
            """{"prompt":"The dog","max_tokens":5,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}"""));
        var (events, done) = Http.ParseSse(await response.Content.ReadAsStringAsync());
        Assert.True(done);
        Assert.Equal(JsonValueKind.String, events[^2].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        Assert.True(events[^1].GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task EmbeddingsAreUnitVectorsAsFloatsOrBase64()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/embeddings", """{"model":"synth-bert-F32","input":["hello world","a second text"]}""");
        Assert.Equal(200, status);
        var data = body.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        var v = data[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 3);
        Assert.True(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);

        var (_, b64) = await Http.PostAsync(Client, "/v1/embeddings", """{"input":"hello world","encoding_format":"base64"}""");
        var bytes = Convert.FromBase64String(b64.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        Assert.Equal(v.Length, floats.Length);
        for (int i = 0; i < v.Length; i++) Assert.Equal(v[i], floats[i], 5);
    }

    [Fact]
    public async Task ModelsListsTheChatAndEmbeddingModels()
    {
        var (status, body) = await Http.GetAsync(Client, "/v1/models");
        Assert.Equal(200, status);
        var ids = body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["stories260K", "synth-bert-F32"], ids);
        var (one, model) = await Http.GetAsync(Client, "/v1/models/stories260K");
        Assert.Equal(200, one);
        Assert.Equal("model", model.GetProperty("object").GetString());
        var (missing, _) = await Http.GetAsync(Client, "/v1/models/nope");
        Assert.Equal(404, missing);
    }
}

using System.Net.Http.Headers;
using System.Text.Json;

namespace Baimo.Server.Tests;

public class KnowledgeTests(KnowledgeFixture kb) : IClassFixture<KnowledgeFixture>
{
    private HttpClient Client => kb.Client;

    [Fact]
    public async Task ListShowsEveryBaseWithItsSize()
    {
        var (status, body) = await Http.GetAsync(Client, "/v1/kb");
        Assert.Equal(200, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var bases = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["handbook", "vectors"], bases.Select(b => b.GetProperty("name").GetString()));
        var handbook = bases[0];
        Assert.Equal(KnowledgeFixture.Documents.Length, handbook.GetProperty("documents").GetInt32());
        Assert.True(handbook.GetProperty("chunks").GetInt32() >= KnowledgeFixture.Documents.Length);
        Assert.Equal(JsonValueKind.Null, handbook.GetProperty("embedding_model").ValueKind);
        Assert.Equal("fulltext", handbook.GetProperty("default_mode").GetString());
        Assert.Equal(TestServerHost.EmbeddingModel, bases[1].GetProperty("embedding_model").GetString());
    }

    [Fact]
    public async Task SearchFindsTheMatchingChunkWithItsScores()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/kb/handbook/search", """{"query":"hotel invoice per night","k":3}""");
        Assert.Equal(200, status);
        var hits = body.GetProperty("data").EnumerateArray().ToList();
        Assert.InRange(hits.Count, 1, 3);
        var top = hits[0];
        Assert.Equal(1, top.GetProperty("rank").GetInt32());
        Assert.Equal("travel/hotels.md", top.GetProperty("source").GetString());
        Assert.True(top.GetProperty("score").GetDouble() > 0);
        Assert.Equal(top.GetProperty("score").GetDouble(), top.GetProperty("fulltext_score").GetDouble());
        Assert.Equal(JsonValueKind.Null, top.GetProperty("vector_score").ValueKind);
        Assert.Contains("180 euros", top.GetProperty("text").GetString());
        Assert.True(top.GetProperty("chunk_id").GetInt64() > 0);
        Assert.True(top.GetProperty("length").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Array, top.GetProperty("headings").ValueKind);
    }

    [Fact]
    public async Task SearchFindsChineseText()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/kb/handbook/search", """{"query":"带薪年假有几天"}""");
        Assert.Equal(200, status);
        Assert.Equal("hr/leave.md", body.GetProperty("data")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task SearchFiltersBySourcePrefixAndType()
    {
        var (_, all) = await Http.PostAsync(Client, "/v1/kb/handbook/search", """{"query":"laptop hotel coffee flights","k":10}""");
        Assert.True(all.GetProperty("data").GetArrayLength() >= 3);
        var (_, travel) = await Http.PostAsync(Client, "/v1/kb/handbook/search", """{"query":"laptop hotel coffee flights","k":10,"source":"travel/"}""");
        var sources = travel.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("source").GetString()!).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.StartsWith("travel/", s));
        var (_, text) = await Http.PostAsync(Client, "/v1/kb/handbook/search", """{"query":"laptop hotel coffee flights","k":10,"types":["txt"]}""");
        Assert.Equal(["hr/laptops.txt"], text.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task HybridSearchUsesTheBasesEmbeddingModel()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/kb/vectors/search", """{"query":"coffee machine","mode":"hybrid","k":5}""");
        Assert.Equal(200, status);
        var hits = body.GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.Contains(hits, h => h.GetProperty("vector_score").ValueKind == JsonValueKind.Number);
        var (vector, _) = await Http.PostAsync(Client, "/v1/kb/vectors/search", """{"query":"coffee machine","mode":"vector"}""");
        Assert.Equal(200, vector);
    }

    [Fact]
    public async Task AskAnswersWithNumberedSources()
    {
        long before = kb.Host.Models.Engine.GeneratedTokensTotal;
        var (status, body) = await Http.PostAsync(Client, "/v1/kb/handbook/ask", """{"question":"How much is a hotel room per night?","max_tokens":12}""");
        Assert.Equal(200, status);
        Assert.Equal("kb.answer", body.GetProperty("object").GetString());
        Assert.True(body.GetProperty("known").GetBoolean());
        Assert.Equal(JsonValueKind.String, body.GetProperty("answer").ValueKind);
        var sources = body.GetProperty("sources").EnumerateArray().ToList();
        Assert.NotEmpty(sources);
        Assert.Equal(Enumerable.Range(1, sources.Count), sources.Select(s => s.GetProperty("number").GetInt32()));
        Assert.Equal("travel/hotels.md", sources[0].GetProperty("source").GetString());
        Assert.False(string.IsNullOrEmpty(sources[0].GetProperty("excerpt").GetString()));
        // Citations and the cited flags must agree whatever the tiny model wrote.
        var cited = body.GetProperty("cited").EnumerateArray().Select(c => c.GetInt32()).ToList();
        Assert.Equal(cited.Order(), sources.Where(s => s.GetProperty("cited").GetBoolean()).Select(s => s.GetProperty("number").GetInt32()).Order());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("invalid_citations").ValueKind);
        Assert.True(kb.Host.Models.Engine.GeneratedTokensTotal > before);
    }

    [Fact]
    public async Task AskStreamsSourcesThenDeltasThenTheAnswer()
    {
        using var response = await Client.PostAsync("/v1/kb/handbook/ask",
            Http.Json("""{"question":"Who approves business class flights?","stream":true,"max_tokens":12}"""));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var (events, done) = Http.ParseSse(await response.Content.ReadAsStringAsync());
        Assert.True(done);
        Assert.True(events.Count >= 2);
        Assert.Equal("sources", events[0].GetProperty("type").GetString());
        Assert.Equal("done", events[^1].GetProperty("type").GetString());
        Assert.All(events[1..^1], e => Assert.Equal("delta", e.GetProperty("type").GetString()));
        var first = events[0].GetProperty("sources").EnumerateArray().ToList();
        Assert.NotEmpty(first);
        Assert.Equal("travel/flights.md", first[0].GetProperty("source").GetString());
        Assert.False(first[0].TryGetProperty("cited", out _));
        var final = events[^1];
        Assert.Equal(string.Concat(events[1..^1].Select(e => e.GetProperty("content").GetString())), final.GetProperty("answer").GetString());
        Assert.Equal(first.Count, final.GetProperty("sources").GetArrayLength());
        Assert.True(final.GetProperty("known").GetBoolean());
        Assert.Equal(JsonValueKind.Array, final.GetProperty("cited").ValueKind);
    }

    [Fact]
    public async Task AnIrrelevantQuestionIsAnsweredWithoutTheModel()
    {
        // A corpus of five documents gives even "the" a high IDF, so the question shares no word with it.
        long before = kb.Host.Models.Engine.GeneratedTokensTotal;
        var (status, body) = await Http.PostAsync(Client, "/v1/kb/handbook/ask", """{"question":"Quantum chromodynamics gluon confinement"}""");
        Assert.Equal(200, status);
        Assert.False(body.GetProperty("known").GetBoolean());
        Assert.Equal(0, body.GetProperty("sources").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("answer").GetString()));
        Assert.Equal(before, kb.Host.Models.Engine.GeneratedTokensTotal);

        using var response = await Client.PostAsync("/v1/kb/handbook/ask", Http.Json("""{"question":"木星上的汞在几度沸腾？","stream":true}"""));
        var (events, done) = Http.ParseSse(await response.Content.ReadAsStringAsync());
        Assert.True(done);
        Assert.Equal(["sources", "delta", "done"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.False(events[^1].GetProperty("known").GetBoolean());
        Assert.Equal(before, kb.Host.Models.Engine.GeneratedTokensTotal);
    }

    [Fact]
    public async Task AnUnknownBaseIs404NamingTheBasesThatExist()
    {
        foreach (var path in new[] { "/v1/kb/nope/search", "/v1/kb/nope/ask", "/v1/kb/..%2Fetc/search" })
        {
            var (status, body) = await Http.PostAsync(Client, path, """{"query":"x","question":"x"}""");
            Assert.Equal(404, status);
            var message = Http.OpenAiError(body).GetProperty("message").GetString()!;
            Assert.Contains("handbook", message);
            Assert.Contains("vectors", message);
        }
    }

    [Theory]
    [InlineData("search", """{}""", "query")]
    [InlineData("search", """{"query":"  "}""", "query")]
    [InlineData("search", """{"query":"hotel","k":0}""", "k")]
    [InlineData("search", """{"query":"hotel","k":101}""", "k")]
    [InlineData("search", """{"query":"hotel","mode":"semantic"}""", "mode")]
    [InlineData("search", """{"query":"hotel","colour":"red"}""", "colour")]
    [InlineData("ask", """{"question":""}""", "question")]
    [InlineData("ask", """{"question":"hotel","k":500}""", "k")]
    [InlineData("ask", """{"question":"hotel","mode":"hybrid"}""", "mode")]
    public async Task BadRequestsAre400NamingTheParameter(string route, string json, string param)
    {
        var (status, body) = await Http.PostAsync(Client, $"/v1/kb/handbook/{route}", json);
        Assert.Equal(400, status);
        Assert.Equal(param, Http.OpenAiError(body).GetProperty("param").GetString());
    }

    [Fact]
    public async Task VectorSearchOnABaseWithoutEmbeddingsSaysWhy()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/kb/handbook/search", """{"query":"hotel","mode":"vector"}""");
        Assert.Equal(400, status);
        Assert.Contains("without one", Http.OpenAiError(body).GetProperty("message").GetString());
    }

    [Fact]
    public async Task AskingForAModelTheServerLacksIs404()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/kb/handbook/ask", """{"question":"hotel","model":"no-such-model"}""");
        Assert.Equal(404, status);
        Assert.Equal("model_not_found", Http.OpenAiError(body).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheRoutesNeedTheKeyWhenOneIsConfigured()
    {
        const string key = "sk-kb-0123456789";
        await using var keyed = await TestServerHost.StartAsync(o => o with { KnowledgeRoot = kb.Root, ApiKey = key, EmbeddingModelPath = null });
        var (list, _) = await Http.GetAsync(keyed.Client, "/v1/kb");
        Assert.Equal(401, list);
        var (search, _) = await Http.PostAsync(keyed.Client, "/v1/kb/handbook/search", """{"query":"hotel"}""");
        Assert.Equal(401, search);
        using var ask = new HttpRequestMessage(HttpMethod.Post, "/v1/kb/handbook/ask") { Content = Http.Json("""{"question":"hotel"}""") };
        ask.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong");
        Assert.Equal(401, (int)(await keyed.Client.SendAsync(ask)).StatusCode);
        var (ok, body) = await Http.PostAsync(keyed.Client, "/v1/kb/handbook/search", """{"query":"hotel"}""", key);
        Assert.Equal(200, ok);
        Assert.NotEqual(0, body.GetProperty("data").GetArrayLength());
    }
}

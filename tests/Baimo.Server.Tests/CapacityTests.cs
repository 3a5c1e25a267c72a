using System.Diagnostics;
using System.Text.Json;

namespace Baimo.Server.Tests;

/// <summary>One slot, a queue of one: the third concurrent request is refused with 503; a client that goes away frees its slot.</summary>
public class CapacityTests
{
    private const string Long = """{"prompt":"Once upon a time","max_tokens":100000,"ignore_eos":true,"stream":true}""";

    private static Task<TestServerHost> StartAsync() =>
        TestServerHost.StartAsync(o => o with { Parallel = 1, MaxQueue = 1, ContextLength = 4096, EmbeddingModelPath = null });

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(sw.Elapsed < limit, $"condition not met within {limit.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task AFullQueueIs503WithRetryAfterAndHealthStillAnswers()
    {
        await using var server = await StartAsync();
        var client = server.Client;
        await Http.GetAsync(client, "/health"); // compiled before the load arrives
        // Six at once against one slot and one place in the queue: some must be refused, none may fail otherwise.
        var requests = Enumerable.Range(0, 6).Select(_ => client.PostAsync("/v1/completions",
            Http.Json("""{"prompt":"Once upon a time","max_tokens":60,"ignore_eos":true}"""))).ToList();
        var sw = Stopwatch.StartNew();
        var (health, _) = await Http.GetAsync(client, "/health");
        Assert.Equal(200, health);
        Assert.True(sw.ElapsedMilliseconds < 500, $"/health took {sw.ElapsedMilliseconds} ms under load");
        var responses = await Task.WhenAll(requests);
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 503 }));
        Assert.Contains(200, statuses);
        var refused = responses.First(r => (int)r.StatusCode == 503);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        using (var doc = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
            Assert.Equal("server_busy", Http.OpenAiError(doc.RootElement).GetProperty("code").GetString());
        foreach (var r in responses) r.Dispose();
        Assert.Equal(0, server.Models.Engine.QueueDepth);
    }

    [Fact]
    public async Task ADisconnectedClientFreesItsSlotAtOnce()
    {
        await using var server = await StartAsync();
        using var cts = new CancellationTokenSource();
        var response = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = Http.Json(Long) },
            HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer, cts.Token) > 0);
        cts.Cancel();
        response.Dispose();
        await WaitUntilAsync(() => Task.FromResult(server.Models.Engine.BusySlots == 0), TimeSpan.FromSeconds(1));
        // Generation stopped long before the context (4096 tokens) was full.
        Assert.True(server.Models.Engine.GeneratedTokensTotal < 3000, $"{server.Models.Engine.GeneratedTokensTotal} tokens generated after the client left");

        var (status, _) = await Http.PostAsync(server.Client, "/v1/completions", """{"prompt":"Hi","max_tokens":3}""");
        Assert.Equal(200, status);
    }
}

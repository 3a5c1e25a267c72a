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
        var engine = server.Models.Engine;
        // The slot is held by an endless stream until this test lets it go; the queue holds one more.
        using var holder = new CancellationTokenSource();
        var held = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = Http.Json(Long) },
            HttpCompletionOption.ResponseHeadersRead, holder.Token);
        var stream = await held.Content.ReadAsStreamAsync(holder.Token);
        Assert.True(await stream.ReadAsync(new byte[256], holder.Token) > 0);
        var queued = client.PostAsync("/v1/completions", Http.Json("""{"prompt":"Once upon a time","max_tokens":5}"""));
        await WaitUntilAsync(() => Task.FromResult(engine.QueueDepth == 1), TimeSpan.FromSeconds(30));

        // Slot and queue are full: the next request is refused at once, and /health still answers.
        using (var refused = await client.PostAsync("/v1/completions", Http.Json("""{"prompt":"Hi","max_tokens":5}""")))
        {
            Assert.Equal(503, (int)refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            using var doc = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("server_busy", Http.OpenAiError(doc.RootElement).GetProperty("code").GetString());
        }
        var (health, _) = await Http.GetAsync(client, "/health");
        Assert.Equal(200, health);
        Assert.Equal(1, engine.BusySlots); // the stream was still running while both answers came back

        // Letting the stream go serves the queued request.
        holder.Cancel();
        held.Dispose();
        using (var served = await queued) Assert.Equal(200, (int)served.StatusCode);
        Assert.Equal(0, engine.QueueDepth);
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
        await WaitUntilAsync(() => Task.FromResult(server.Models.Engine.BusySlots == 0), TimeSpan.FromSeconds(30));
        // Generation stopped long before the context (4096 tokens) was full.
        Assert.True(server.Models.Engine.GeneratedTokensTotal < 3000, $"{server.Models.Engine.GeneratedTokensTotal} tokens generated after the client left");

        var (status, _) = await Http.PostAsync(server.Client, "/v1/completions", """{"prompt":"Hi","max_tokens":3}""");
        Assert.Equal(200, status);
    }
}

namespace Baimo.Server.Tests;

public class HealthAndMetricsTests(SharedServer server) : IClassFixture<SharedServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task HealthReportsTheSlotsAndQueue()
    {
        var (status, body) = await Http.GetAsync(Client, "/health");
        Assert.Equal(200, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("slots").GetInt32());
        Assert.Equal(0, body.GetProperty("queue_depth").GetInt32());
    }

    [Fact]
    public async Task MetricsCountRequestsTokensAndLatencies()
    {
        await Http.PostAsync(Client, "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":4}""");
        await Http.PostAsync(Client, "/v1/chat/completions", """{"messages":[""");
        using var response = await Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches(@"baimo_requests_total\{route=""/v1/chat/completions"",status=""200""\} [1-9]", text);
        Assert.Matches(@"baimo_requests_total\{route=""/v1/chat/completions"",status=""400""\} [1-9]", text);
        Assert.Matches(@"baimo_prompt_tokens_total [1-9]", text);
        Assert.Matches(@"baimo_generated_tokens_total [1-9]", text);
        Assert.Matches(@"baimo_time_to_first_token_seconds_bucket\{le=""\+Inf""\} [1-9]", text);
        Assert.Contains("baimo_time_per_output_token_seconds_count", text);
        Assert.Contains("baimo_queue_depth 0", text);
        Assert.Contains("baimo_busy_slots", text);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.Matches(@"^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [-+0-9.eE]+)$", line);
    }
}

using System.Text.Json;
using Baimo.AI;
using Baimo.Models;
using Baimo.Testing;
using Microsoft.Extensions.AI;

namespace Baimo.AI.Tests.ChatClient;

public sealed class EngineFixture : IAsyncDisposable
{
    public DecoderModel Model { get; } = ModelRegistry.LoadDecoder(Oracle.Path("models", "stories260K.gguf"));
    public InferenceEngine Engine { get; }
    public EngineFixture() => Engine = new InferenceEngine(Model, new EngineOptions { Slots = 2, ContextLength = 512 });

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Model.Dispose();
    }
}

/// <summary>What any <see cref="IChatClient"/> must do, checked on the engine over stories260K.</summary>
public class BaimoChatClientTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private BaimoChatClient Client() => new(fixture.Engine);

    private static ChatOptions Greedy(int max) => new() { Temperature = 0, MaxOutputTokens = max };

    [Fact]
    public async Task GetResponseReturnsAnAssistantMessageWithUsage()
    {
        IChatClient client = Client();
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], Greedy(8));
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.NotEmpty(response.Text);
        Assert.Equal("stories260K", response.ModelId);
        Assert.NotNull(response.ResponseId);
        Assert.Contains(response.FinishReason, new ChatFinishReason?[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 1, 8);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamingGivesTheSameTextAsAWholeResponse()
    {
        IChatClient client = Client();
        List<ChatMessage> messages = [new(ChatRole.System, "Tell a story."), new(ChatRole.User, "The dog")];
        var whole = await client.GetResponseAsync(messages, Greedy(16));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(messages, Greedy(16))) updates.Add(u);
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.Single(updates, u => u.FinishReason != null);
        Assert.NotNull(updates[^1].FinishReason);
        Assert.Single(updates[^1].Contents.OfType<UsageContent>());
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
    }

    [Fact]
    public async Task StopSequencesAndTheTokenLimitAreHonoured()
    {
        IChatClient client = Client();
        var free = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once")], Greedy(30));
        Assert.Equal(ChatFinishReason.Length, free.FinishReason);
        var stop = free.Text.Substring(4, 2);
        var stopped = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once")], new ChatOptions { Temperature = 0, MaxOutputTokens = 30, StopSequences = [stop] });
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public async Task LogprobsTravelInTheRawTokenEvents()
    {
        IChatClient client = Client();
        var options = Greedy(5);
        options.AdditionalProperties = new() { [BaimoChatProperties.Logprobs] = true, [BaimoChatProperties.TopLogprobs] = 2 };
        var events = new List<TokenEvent>();
        await foreach (var u in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options))
            events.AddRange(Assert.IsType<TokenEvent[]>(u.RawRepresentation));
        var tokens = events.Where(e => e.TokenId >= 0).ToList();
        Assert.Equal(5, tokens.Count);
        Assert.All(tokens, e => Assert.Equal(2, e.TopLogprobs!.Length));
        Assert.NotNull(events[^1].Usage);
    }

    [Fact]
    public async Task CancellingStopsTheReply()
    {
        IChatClient client = Client();
        using var cts = new CancellationTokenSource();
        var options = new ChatOptions { MaxOutputTokens = 400, AdditionalProperties = new() { [BaimoChatProperties.IgnoreEos] = true } };
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var u in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Go")], options, cts.Token))
                if (++seen == 2) cts.Cancel();
        });
        Assert.True(seen < 400);
        var after = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Again")], Greedy(3));
        Assert.NotEmpty(after.Text);
    }

    [Fact]
    public async Task JsonResponseFormatGivesJson()
    {
        IChatClient client = Client();
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"ok":{"type":"boolean"},"kind":{"enum":["a","b"]}},"required":["ok","kind"],"additionalProperties":false}""").RootElement;
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Answer")],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 100, ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer") });
        using var doc = JsonDocument.Parse(response.Text);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.Contains(doc.RootElement.GetProperty("kind").GetString(), new[] { "a", "b" });
    }

    [Fact]
    public async Task ToolsAndToolResultsAreAccepted()
    {
        IChatClient client = Client();
        var tool = AIFunctionFactory.CreateDeclaration("lookup", "Looks things up", JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string"}}}""").RootElement);
        var response = await client.GetResponseAsync(
        [
            new ChatMessage(ChatRole.User, "Find cats"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?> { ["q"] = "cats" })]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", new { found = 3 })]),
        ], new ChatOptions { Temperature = 0, MaxOutputTokens = 6, Tools = [tool] });
        Assert.NotNull(response.FinishReason);
    }

    [Fact]
    public async Task ServicesAndDisposal()
    {
        var client = Client();
        var meta = ((IChatClient)client).GetService<ChatClientMetadata>();
        Assert.Equal("baimo", meta!.ProviderName);
        Assert.Equal("stories260K", meta.DefaultModelId);
        Assert.Same(fixture.Engine, ((IChatClient)client).GetService<InferenceEngine>());
        Assert.Same(client, ((IChatClient)client).GetService<BaimoChatClient>());
        Assert.Null(((IChatClient)client).GetService<ChatClientMetadata>("key"));
        client.Dispose();
        // The engine belongs to its owner and keeps serving.
        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Greedy(2));
        Assert.NotEmpty(response.Messages);
    }

    [Fact]
    public async Task BadOptionsAreArgumentErrors()
    {
        IChatClient client = Client();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { Temperature = -1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")],
            new ChatOptions { AdditionalProperties = new() { [BaimoChatProperties.TopLogprobs] = "many" } }));
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Baimo.Server.Tests;

/// <summary>The official OpenAI .NET SDK talks to the server unchanged.</summary>
public class OpenAiSdkTests(SharedServer server) : IClassFixture<SharedServer>
{
    private OpenAIClientOptions Options => new()
    {
        Endpoint = new Uri(server.Client.BaseAddress!, "/v1"),
        Transport = new HttpClientPipelineTransport(server.Client),
    };

    private ChatClient Chat => new("stories260K", new ApiKeyCredential("sk-dummy"), Options);

    [Fact]
    public async Task CompleteChat()
    {
        ChatCompletion completion = await Chat.CompleteChatAsync(
            [new SystemChatMessage("You tell stories."), new UserChatMessage("Once upon a time")],
            new ChatCompletionOptions { MaxOutputTokenCount = 8, Temperature = 0 });
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.NotEmpty(completion.Content[0].Text);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 8);
    }

    [Fact]
    public async Task StreamChat()
    {
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("Hello")],
                           new ChatCompletionOptions { MaxOutputTokenCount = 6, Temperature = 0 }))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }
        Assert.NotEmpty(text.ToString());
        Assert.NotNull(finish);
        Assert.NotNull(usage);
        Assert.InRange(usage!.OutputTokenCount, 1, 6);
    }

    [Fact]
    public async Task Embeddings()
    {
        var client = new EmbeddingClient("synth-bert-F32", new ApiKeyCredential("sk-dummy"), Options);
        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("hello world");
        var v = embedding.ToFloats().ToArray();
        Assert.Equal(server.Host.Models.EmbeddingGenerator!.Dimensions, v.Length);
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3);

        OpenAIEmbeddingCollection many = await client.GenerateEmbeddingsAsync(["one", "two"]);
        Assert.Equal(2, many.Count);
    }

    [Fact]
    public async Task JsonSchema()
    {
        var schema = BinaryData.FromString("""
            {"type":"object","properties":{"name":{"type":"string","maxLength":8},"legs":{"enum":[2,4]}},"required":["name","legs"],"additionalProperties":false}
            """);
        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage("An animal")], new ChatCompletionOptions
        {
            MaxOutputTokenCount = 300,
            Temperature = 0,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("animal", schema, jsonSchemaIsStrict: true),
        });
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        using var doc = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("legs").ValueKind);
    }

    [Fact]
    public async Task Tools()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "The weather in a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 8, Temperature = 0, Tools = { tool }, ToolChoice = ChatToolChoice.CreateAutoChoice() };
        ChatCompletion first = await Chat.CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options);
        Assert.Contains(first.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length, ChatFinishReason.ToolCalls });

        // A conversation that carries a tool call and its result goes through the template.
        ChatCompletion second = await Chat.CompleteChatAsync(
        [
            new UserChatMessage("Weather in Paris?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "get_weather", BinaryData.FromString("""{"city":"Paris"}"""))]),
            new ToolChatMessage("call_1", "sunny, 21 °C"),
        ], options);
        Assert.NotNull(second.Content);
    }
}

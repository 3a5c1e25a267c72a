using System.Text.Json;
using Baimo.AI;
using Baimo.Generation;
using Baimo.Testing;
using Baimo.Tokenizers;
using Microsoft.Extensions.AI;
using MEAI = Microsoft.Extensions.AI;

namespace Baimo.AI.Tests.ChatClient;

public sealed class TokenizerFixture
{
    public Tokenizer Tokenizer { get; }
    public TokenizerFixture()
    {
        using var m = Baimo.Models.ModelRegistry.LoadDecoder(Oracle.Path("models", "stories260K.gguf"));
        Tokenizer = m.Tokenizer;
    }
}

public class ChatPromptBuilderTests(TokenizerFixture fixture) : IClassFixture<TokenizerFixture>
{
    private const string HermesTemplate =
        "{% if tools %}<tools>{% for t in tools %}{{ t.function.name }}:{{ t.function.parameters | tojson }};{% endfor %}</tools>\n{% endif %}" +
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{% if m.content %}{{ m.content }}{% endif %}" +
        "{% if m.tool_calls %}{% for c in m.tool_calls %}<tool_call>{\"name\": \"{{ c.function.name }}\", \"arguments\": {{ c.function.arguments | tojson }}}</tool_call>{% endfor %}{% endif %}" +
        "{% if m.tool_call_id %}[{{ m.tool_call_id }}]{% endif %}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private ChatPromptBuilder Builder(string? template) => new(new ChatFormatter(fixture.Tokenizer, template), template);

    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration("get_weather", "Weather",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement);

    [Fact]
    public void ToolsCallsAndResultsReachTheTemplate()
    {
        var (text, ids) = Builder(HermesTemplate).Build(
        [
            new MEAI.ChatMessage(ChatRole.User, "Weather?"),
            new MEAI.ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new MEAI.ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "rain")]),
        ], new ChatOptions { Tools = [Weather], Instructions = "Be brief." });
        Assert.StartsWith("<tools>get_weather:{\"type\": \"object\"", text);
        Assert.Contains("<|im_start|>system\nBe brief.<|im_end|>", text);
        Assert.Contains("<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}</tool_call>", text);
        Assert.Contains("<|im_start|>tool\nrain[c1]<|im_end|>", text);
        Assert.EndsWith("<|im_start|>assistant\n", text);
        Assert.NotEmpty(ids);
    }

    [Fact]
    public void ToolModeNoneLeavesToolsOut()
    {
        var (text, _) = Builder(HermesTemplate).Build([new MEAI.ChatMessage(ChatRole.User, "Hi")], new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.None });
        Assert.DoesNotContain("<tools>", text);
    }

    [Fact]
    public void ATemplateWithoutToolsGetsThemInTheSystemMessage()
    {
        var (text, _) = Builder(null).Build([new MEAI.ChatMessage(ChatRole.System, "Be kind."), new MEAI.ChatMessage(ChatRole.User, "Hi")],
            new ChatOptions { Tools = [Weather] });
        Assert.StartsWith("<|im_start|>system\nBe kind.\n\n# Tools", text);
        Assert.Contains("\"name\":\"get_weather\"", text);
        Assert.Contains("<tool_call>", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "<\\|im_start\\|>system"));
    }

    [Fact]
    public void NonTextContentIsRefused()
    {
        var message = new MEAI.ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);
        Assert.Throws<ArgumentException>(() => Builder(null).Build([message], null));
    }

    [Fact]
    public void JsonFormatsBecomeConstraints()
    {
        Assert.Null(ResponseFormats.ConstraintFor(null, fixture.Tokenizer));
        Assert.Null(ResponseFormats.ConstraintFor(ChatResponseFormat.Text, fixture.Tokenizer));
        Assert.NotNull(ResponseFormats.ConstraintFor(ChatResponseFormat.Json, fixture.Tokenizer));
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"boolean"}}}""").RootElement;
        Assert.NotNull(ResponseFormats.ConstraintFor(ChatResponseFormat.ForJsonSchema(schema, "s"), fixture.Tokenizer));
    }
}

using Baimo.AI;

namespace Baimo.AI.Tests.ChatClient;

public class ToolCallStreamFilterTests
{
    private static (string Streamed, ParsedReply Reply, string Remaining) Run(ToolCallFormat format, params string[] pieces)
    {
        var filter = new ToolCallStreamFilter(format);
        var streamed = string.Concat(pieces.Select(filter.Push));
        var (rest, reply) = filter.Finish();
        return (streamed, reply, rest);
    }

    [Fact]
    public void PlainTextStreamsThrough()
    {
        var (streamed, reply, rest) = Run(ToolCallFormat.Hermes, "Hello", " there", "!");
        Assert.Equal("Hello there!", streamed + rest);
        Assert.Empty(reply.ToolCalls);
        Assert.Equal("Hello there!", streamed);
    }

    [Fact]
    public void APossibleMarkerIsHeldUntilDecided()
    {
        var filter = new ToolCallStreamFilter(ToolCallFormat.Hermes);
        Assert.Equal("a ", filter.Push("a <tool"));
        Assert.Equal("<tools are fun", filter.Push("s are fun"));
    }

    [Fact]
    public void TheCallIsNeverStreamedAsText()
    {
        var (streamed, reply, rest) = Run(ToolCallFormat.Hermes, "Checking", ". <tool", "_call>{\"name\":", "\"f\",\"arguments\":{}}", "</tool_call>");
        Assert.Equal("Checking. ", streamed + rest);
        Assert.Equal("f", Assert.Single(reply.ToolCalls).Name);
    }

    [Fact]
    public void AHeldBrokenCallIsReleasedAsText()
    {
        var (streamed, reply, rest) = Run(ToolCallFormat.Hermes, "x <tool_call>{oops");
        Assert.Empty(reply.ToolCalls);
        Assert.Equal("x <tool_call>{oops", streamed + rest);
    }

    [Fact]
    public void Llama3RepliesOpeningWithABraceAreHeld()
    {
        var (streamed, reply, _) = Run(ToolCallFormat.Llama3Json, " ", "{\"name\": \"f\", ", "\"parameters\": {}}");
        Assert.Equal("", streamed);
        Assert.Single(reply.ToolCalls);

        var (text, none, rest) = Run(ToolCallFormat.Llama3Json, "Sure", ", {braces} too");
        Assert.Empty(none.ToolCalls);
        Assert.Equal("Sure, {braces} too", text + rest);
    }

    [Fact]
    public void MistralMarker()
    {
        var (streamed, reply, rest) = Run(ToolCallFormat.Mistral, "ok [TOOL", "_CALLS][{\"name\":\"g\",\"arguments\":{\"q\":1}}]");
        Assert.Equal("ok ", streamed + rest);
        Assert.Equal("g", Assert.Single(reply.ToolCalls).Name);
    }
}

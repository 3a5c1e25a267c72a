using Baimo.AI;

namespace Baimo.AI.Tests.ChatClient;

public class ToolCallParserTests
{
    [Fact]
    public void HermesBlocksBecomeCallsAndTheRestStaysContent()
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Hermes,
            "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>{\"name\":\"get_time\",\"arguments\":{}}</tool_call>");
        Assert.Equal("Let me check.", reply.Content);
        Assert.Equal(["get_weather", "get_time"], reply.ToolCalls.Select(c => c.Name));
        Assert.Equal("Paris", reply.ToolCalls[0].Arguments.GetProperty("city").GetString());
        Assert.Equal("{}", reply.ToolCalls[1].ArgumentsJson);
    }

    [Fact]
    public void AnUnterminatedHermesBlockAtTheEndStillParses()
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Hermes, "<tool_call>{\"name\":\"f\",\"arguments\":{\"x\":1}}");
        Assert.Single(reply.ToolCalls);
        Assert.Equal(1, reply.ToolCalls[0].Arguments.GetProperty("x").GetInt32());
    }

    [Fact]
    public void ArgumentsGivenAsAJsonStringAreUnwrapped()
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Hermes, "<tool_call>{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":2}\"}</tool_call>");
        Assert.Equal(2, reply.ToolCalls[0].Arguments.GetProperty("x").GetInt32());
    }

    [Theory]
    [InlineData("<tool_call>{\"name\": \"f\", \"arguments\": {</tool_call>")]
    [InlineData("<tool_call>{\"arguments\": {}}</tool_call>")]
    [InlineData("<tool_call>[1,2]</tool_call>")]
    [InlineData("just text")]
    public void BrokenCallsStayText(string text)
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Hermes, text);
        Assert.Empty(reply.ToolCalls);
        Assert.Equal(text, reply.Content);
    }

    [Theory]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}")]
    [InlineData("<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}")]
    [InlineData("  {\"type\": \"function\", \"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}\n")]
    public void Llama3JsonCalls(string text)
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Llama3Json, text);
        var call = Assert.Single(reply.ToolCalls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Oslo", call.Arguments.GetProperty("city").GetString());
        Assert.Equal("", reply.Content);
    }

    [Fact]
    public void SeveralLlama3CallsSeparatedBySemicolons()
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Llama3Json, "{\"name\":\"a\",\"parameters\":{}}; {\"name\":\"b\",\"parameters\":{\"k\":true}}");
        Assert.Equal(["a", "b"], reply.ToolCalls.Select(c => c.Name));
    }

    [Theory]
    [InlineData("The answer is {x}.")]
    [InlineData("{\"city\": \"Oslo\"}")]
    public void Llama3TextThatIsNotACallStaysText(string text)
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Llama3Json, text);
        Assert.Empty(reply.ToolCalls);
        Assert.Equal(text, reply.Content);
    }

    [Fact]
    public void MistralArrayOfCalls()
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Mistral,
            "Sure. [TOOL_CALLS] [{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}, {\"name\": \"neg\", \"arguments\": {\"a\": 3}}]");
        Assert.Equal("Sure.", reply.Content);
        Assert.Equal(["add", "neg"], reply.ToolCalls.Select(c => c.Name));
        Assert.Equal(2, reply.ToolCalls[0].Arguments.GetProperty("b").GetInt32());
    }

    [Fact]
    public void MistralNameArgsForm()
    {
        var reply = ToolCallParser.Parse(ToolCallFormat.Mistral, "[TOOL_CALLS]add[ARGS]{\"a\": 1}[TOOL_CALLS]neg[ARGS]{\"a\": 2}");
        Assert.Equal(["add", "neg"], reply.ToolCalls.Select(c => c.Name));
    }

    [Theory]
    [InlineData(null, ToolCallFormat.Hermes)]
    [InlineData("{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}{% if tools %}<tool_call>{% endif %}", ToolCallFormat.Hermes)]
    [InlineData("{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>' }}{% if tools %}{% endif %}", ToolCallFormat.Llama3Json)]
    [InlineData("{{ '[AVAILABLE_TOOLS]' + tools|tojson }}{{ '[TOOL_CALLS]' }}", ToolCallFormat.Mistral)]
    public void TheFormatIsRecognisedFromTheTemplate(string? template, ToolCallFormat expected) =>
        Assert.Equal(expected, ToolCallFormats.Detect(template));
}

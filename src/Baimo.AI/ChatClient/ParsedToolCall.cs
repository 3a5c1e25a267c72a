using System.Text.Json;

namespace Baimo.AI;

/// <summary>A tool call found in a model's output: the function's name and its arguments as a JSON object.</summary>
public sealed record ParsedToolCall(string Name, JsonElement Arguments)
{
    /// <summary>The arguments as JSON text (what OpenAI's <c>function.arguments</c> carries).</summary>
    public string ArgumentsJson => Arguments.GetRawText();

    /// <summary>The arguments as a dictionary of JSON values (what <c>FunctionCallContent</c> carries).</summary>
    public Dictionary<string, object?> ArgumentsDictionary()
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Arguments.ValueKind == JsonValueKind.Object)
            foreach (var p in Arguments.EnumerateObject()) d[p.Name] = p.Value.Clone();
        return d;
    }
}

/// <summary>A reply split into its plain text and the tool calls it made.</summary>
public sealed record ParsedReply(string Content, IReadOnlyList<ParsedToolCall> ToolCalls);

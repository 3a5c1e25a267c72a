using System.Text;
using System.Text.Json;
using Baimo.Generation;

namespace Baimo.AI;

/// <summary>
/// Describes tools in a system message for models whose chat template does not render them, in the Hermes
/// convention (function signatures inside <c>&lt;tools&gt;</c>, calls answered as <c>&lt;tool_call&gt;</c> blocks).
/// </summary>
public static class ToolPrompt
{
    public static ChatMessage SystemMessage(IReadOnlyList<Dictionary<string, object?>> tools, ChatMessage? existingSystem)
    {
        var sb = new StringBuilder();
        if (existingSystem != null && existingSystem.Content.Length > 0) sb.Append(existingSystem.Content).Append("\n\n");
        sb.Append("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n");
        sb.Append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n");
        foreach (var t in tools) sb.Append(JsonSerializer.Serialize(ToJson(t))).Append('\n');
        sb.Append("</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n");
        sb.Append("<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
        return ChatMessage.System(sb.ToString());
    }

    private static JsonElement ToJson(Dictionary<string, object?> tool)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) Write(w, tool);
        return JsonDocument.Parse(ms.ToArray()).RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case JsonElement e: e.WriteTo(w); break;
            case Dictionary<string, object?> d:
                w.WriteStartObject();
                foreach (var (k, v) in d) { w.WritePropertyName(k); Write(w, v); }
                w.WriteEndObject();
                break;
            default: w.WriteStringValue(value.ToString()); break;
        }
    }
}

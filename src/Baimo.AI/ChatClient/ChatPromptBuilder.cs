using System.Text.Json;
using Baimo.Generation;
using MEAI = Microsoft.Extensions.AI;

namespace Baimo.AI;

/// <summary>
/// Turns a Microsoft.Extensions.AI conversation (and the tools of its options) into the dictionaries a
/// Hugging Face chat template expects: <c>tool_calls</c> on assistant turns, <c>tool_call_id</c> on tool
/// results, tools as <c>{"type":"function","function":{name, description, parameters}}</c>. A template that
/// cannot show tools gets them described in a system message in the Hermes format.
/// </summary>
public sealed class ChatPromptBuilder
{
    private readonly ChatFormatter _formatter;
    private readonly string? _template;

    public ChatPromptBuilder(ChatFormatter formatter, string? templateSource)
    {
        _formatter = formatter;
        _template = templateSource;
        ToolFormat = ToolCallFormats.Detect(templateSource);
    }

    /// <summary>How the model writes tool calls.</summary>
    public ToolCallFormat ToolFormat { get; }

    /// <summary>The prompt text and its token ids.</summary>
    /// <exception cref="Baimo.Templates.TemplateException">The template refuses the conversation.</exception>
    /// <exception cref="ArgumentException">A message holds content the model cannot take (images, audio…).</exception>
    public (string Text, int[] Ids) Build(IEnumerable<MEAI.ChatMessage> messages, MEAI.ChatOptions? options)
    {
        var converted = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(options?.Instructions)) converted.Add(ChatMessage.System(options.Instructions));
        foreach (var m in messages) converted.Add(Convert(m));

        var tools = ToolsOf(options);
        object? toolsValue = null;
        if (tools.Count > 0)
        {
            if (ToolCallFormats.TemplateRendersTools(_template)) toolsValue = tools;
            else if (converted.Count > 0 && converted[0].Role == "system") converted[0] = ToolPrompt.SystemMessage(tools, converted[0]);
            else converted.Insert(0, ToolPrompt.SystemMessage(tools, null));
        }
        var text = _formatter.Render(converted, addGenerationPrompt: true, tools: toolsValue);
        return (text, _formatter.Tokenize(text));
    }

    /// <summary>Whether these options make the reply worth scanning for tool calls.</summary>
    public static bool UsesTools(MEAI.ChatOptions? options) =>
        options?.Tools is { Count: > 0 } && options.ToolMode is not MEAI.NoneChatToolMode;

    private static List<Dictionary<string, object?>> ToolsOf(MEAI.ChatOptions? options)
    {
        var list = new List<Dictionary<string, object?>>();
        if (!UsesTools(options)) return list;
        foreach (var tool in options!.Tools!)
        {
            if (tool is not MEAI.AIFunctionDeclaration f) continue;
            list.Add(new Dictionary<string, object?>
            {
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?>
                {
                    ["name"] = f.Name,
                    ["description"] = f.Description ?? "",
                    ["parameters"] = f.JsonSchema,
                },
            });
        }
        return list;
    }

    private static ChatMessage Convert(MEAI.ChatMessage m)
    {
        var role = m.Role.Value switch
        {
            "developer" => "system",
            var r => r,
        };
        var text = new System.Text.StringBuilder();
        List<object?>? toolCalls = null;
        string? toolCallId = null;
        foreach (var c in m.Contents)
        {
            switch (c)
            {
                case MEAI.TextContent t: text.Append(t.Text); break;
                case MEAI.TextReasoningContent: break;
                case MEAI.FunctionCallContent call:
                    (toolCalls ??= []).Add(new Dictionary<string, object?>
                    {
                        ["id"] = call.CallId,
                        ["type"] = "function",
                        ["function"] = new Dictionary<string, object?>
                        {
                            ["name"] = call.Name,
                            ["arguments"] = ArgumentsValue(call.Arguments),
                        },
                    });
                    break;
                case MEAI.FunctionResultContent result:
                    role = "tool";
                    toolCallId = result.CallId;
                    text.Append(result.Result switch
                    {
                        null => "",
                        string s => s,
                        JsonElement e when e.ValueKind == JsonValueKind.String => e.GetString(),
                        JsonElement e => e.GetRawText(),
                        var other => JsonSerializer.Serialize(other, MEAI.AIJsonUtilities.DefaultOptions),
                    });
                    break;
                case MEAI.UsageContent: break;
                default:
                    throw new ArgumentException($"{c.GetType().Name} in a '{m.Role.Value}' message is not supported: this model takes text only");
            }
        }
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (toolCalls != null) extra["tool_calls"] = toolCalls;
        if (toolCallId != null) extra["tool_call_id"] = toolCallId;
        if (m.AuthorName != null) extra["name"] = m.AuthorName;
        return new ChatMessage(role, text.ToString()) { Extra = extra.Count > 0 ? extra : null };
    }

    /// <summary>Arguments as templates expect them: a mapping (templates apply <c>tojson</c> themselves).</summary>
    private static Dictionary<string, object?> ArgumentsValue(IDictionary<string, object?>? arguments)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (arguments == null) return d;
        foreach (var (k, v) in arguments)
            d[k] = v switch
            {
                null or string or bool or int or long or double or float or JsonElement => v,
                _ => JsonSerializer.SerializeToElement(v, MEAI.AIJsonUtilities.DefaultOptions),
            };
        return d;
    }
}

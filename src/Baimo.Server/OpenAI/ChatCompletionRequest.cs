using System.Text.Json;
using Baimo.AI;
using Baimo.Server.Errors;
using Baimo.Server.Http;
using Microsoft.Extensions.AI;

namespace Baimo.Server.OpenAI;

/// <summary>A parsed <c>POST /v1/chat/completions</c> body, as Microsoft.Extensions.AI messages and options.</summary>
public sealed class ChatCompletionRequest
{
    public string? Model { get; private init; }
    public required List<ChatMessage> Messages { get; init; }
    public required ChatOptions Options { get; init; }
    public bool Stream { get; private init; }
    public bool IncludeUsage { get; private init; }
    public bool Logprobs { get; private init; }

    public static ChatCompletionRequest Parse(JsonElement body)
    {
        var r = new JsonRequest(body);
        var model = r.String("model");
        var messages = MessagesOf(r);
        var options = new ChatOptions { AdditionalProperties = [] };
        SamplingParameters.Read(r, options);

        var maxTokens = r.Int("max_completion_tokens", 1, int.MaxValue) ?? r.Int("max_tokens", 1, int.MaxValue);
        options.MaxOutputTokens = maxTokens;

        bool logprobs = r.Bool("logprobs") ?? false;
        int? top = r.Int("top_logprobs", 0, 20);
        if (top is > 0 && !logprobs) throw r.Invalid("top_logprobs", "needs 'logprobs': true");
        if (logprobs) options.AdditionalProperties[BaimoChatProperties.Logprobs] = true;
        if (top is > 0) options.AdditionalProperties[BaimoChatProperties.TopLogprobs] = top.Value;

        ToolParameters.Read(r, options);
        ResponseFormatOf(r, options);

        bool stream = r.Bool("stream") ?? false;
        bool includeUsage = false;
        if (r.Object("stream_options") is { } so)
        {
            if (!stream) throw r.Invalid("stream_options", "is only allowed with 'stream': true");
            includeUsage = so.Bool("include_usage") ?? false;
            so.Ignore("include_obfuscation");
            so.RejectUnknown();
        }

        r.Refuse("n", "this server returns one choice per request", v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n == 1);
        r.Refuse("logit_bias", "token biases are not supported", v => v.ValueKind == JsonValueKind.Object && !v.EnumerateObject().Any());
        r.Refuse("modalities", "only text output is supported", v => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String && m.GetString() == "text"));
        r.Refuse("audio", "audio output is not supported");
        r.Refuse("prediction", "predicted outputs are not supported");
        r.Refuse("reasoning_effort", "this model has no reasoning settings");
        r.Refuse("web_search_options", "web search is not available");
        r.Refuse("functions", "use 'tools' instead");
        r.Refuse("function_call", "use 'tool_choice' instead");
        r.Ignore("user", "metadata", "store", "service_tier", "safety_identifier", "prompt_cache_key", "verbosity");
        r.RejectUnknown();
        return new ChatCompletionRequest
        {
            Model = model, Messages = messages, Options = options, Stream = stream, IncludeUsage = includeUsage, Logprobs = logprobs,
        };
    }

    private static List<ChatMessage> MessagesOf(JsonRequest r)
    {
        var array = r.Array("messages") ?? throw ApiException.BadRequest("'messages' is required", "messages", "missing_required_parameter");
        var list = new List<ChatMessage>();
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"messages[{i++}]";
            var m = new JsonRequest(item, path);
            var role = m.String("role") ?? throw m.Invalid("role", "is required");
            var message = role switch
            {
                "system" or "developer" or "user" => new ChatMessage(new ChatRole(role), ContentOf(m)),
                "assistant" => Assistant(m),
                "tool" => Tool(m),
                "function" => throw ApiException.Unsupported(m.PathOf("role"), "the 'function' role is deprecated; use 'tool'"),
                _ => throw m.Invalid("role", $"must be system, developer, user, assistant or tool (got '{role}')"),
            };
            if (m.String("name") is { } name) message.AuthorName = name;
            m.RejectUnknown();
            list.Add(message);
        }
        if (list.Count == 0) throw ApiException.BadRequest("'messages' must hold at least one message", "messages", "invalid_value");
        return list;
    }

    private static ChatMessage Assistant(JsonRequest m)
    {
        var contents = new List<AIContent>();
        var text = ContentOf(m);
        if (text.Length > 0) contents.Add(new TextContent(text));
        m.Ignore("refusal", "audio", "reasoning_content");
        if (m.Array("tool_calls") is { } calls)
        {
            int j = 0;
            foreach (var c in calls.EnumerateArray())
            {
                var call = new JsonRequest(c, $"{m.PathOf("tool_calls")}[{j++}]");
                var id = call.String("id") ?? throw call.Invalid("id", "is required");
                var type = call.String("type") ?? "function";
                if (type != "function") throw call.Invalid("type", "must be 'function'");
                var f = call.Object("function") ?? throw call.Invalid("function", "is required");
                var name = f.String("name") ?? throw f.Invalid("name", "is required");
                var args = f.String("arguments") ?? "{}";
                f.RejectUnknown();
                call.RejectUnknown();
                contents.Add(new FunctionCallContent(id, name, ArgumentsOf(args, f.PathOf("arguments"))));
            }
        }
        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private static ChatMessage Tool(JsonRequest m)
    {
        var id = m.String("tool_call_id") ?? throw m.Invalid("tool_call_id", "is required for tool messages");
        return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(id, ContentOf(m))]);
    }

    internal static Dictionary<string, object?> ArgumentsOf(string json, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.Length == 0 ? "{}" : json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest($"'{path}' must be a JSON object", path, "invalid_value");
            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest($"'{path}' must be a JSON object in a string", path, "invalid_value");
        }
    }

    /// <summary>Text content: a string, or an array of <c>{"type":"text","text":…}</c> parts.</summary>
    private static string ContentOf(JsonRequest m)
    {
        if (m.Get("content") is not { } c) return "";
        if (c.ValueKind == JsonValueKind.String) return c.GetString()!;
        if (c.ValueKind != JsonValueKind.Array) throw m.Invalid("content", "must be a string or an array of content parts");
        var sb = new System.Text.StringBuilder();
        int k = 0;
        foreach (var part in c.EnumerateArray())
        {
            var p = new JsonRequest(part, $"{m.PathOf("content")}[{k++}]");
            var type = p.String("type") ?? throw p.Invalid("type", "is required");
            if (type is "text" or "input_text") sb.Append(p.String("text") ?? "");
            else if (type == "refusal") p.Ignore("refusal");
            else throw ApiException.Unsupported(p.PathOf("type"), $"'{type}' content is not supported: this model takes text only");
            p.RejectUnknown();
        }
        return sb.ToString();
    }

    private static void ResponseFormatOf(JsonRequest r, ChatOptions options)
    {
        if (r.Object("response_format") is not { } f) return;
        var type = f.String("type") ?? throw f.Invalid("type", "is required");
        switch (type)
        {
            case "text": options.ResponseFormat = ChatResponseFormat.Text; break;
            case "json_object": options.ResponseFormat = ChatResponseFormat.Json; break;
            case "json_schema":
                var js = f.Object("json_schema") ?? throw f.Invalid("json_schema", "is required when type is json_schema");
                var name = js.String("name") ?? throw js.Invalid("name", "is required");
                var schema = js.Get("schema") is { } s && s.ValueKind == JsonValueKind.Object ? s.Clone() : throw js.Invalid("schema", "must be a JSON schema object");
                var description = js.String("description");
                js.Bool("strict");
                js.RejectUnknown();
                options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, name, description);
                break;
            default: throw f.Invalid("type", $"must be text, json_object or json_schema (got '{type}')");
        }
        f.RejectUnknown();
    }
}

using System.Text.Json;

namespace Baimo.AI;

/// <summary>
/// Finds tool calls in a finished reply, per <see cref="ToolCallFormat"/>. Text that does not parse as a
/// well-formed call stays in the content: a reply is never lost because the model wrote broken JSON.
/// </summary>
public static class ToolCallParser
{
    public const string HermesOpen = "<tool_call>";
    public const string HermesClose = "</tool_call>";
    public const string MistralMarker = "[TOOL_CALLS]";
    public const string PythonTag = "<|python_tag|>";

    public static ParsedReply Parse(ToolCallFormat format, string text) => format switch
    {
        ToolCallFormat.Hermes => ParseHermes(text),
        ToolCallFormat.Llama3Json => ParseLlama3(text),
        ToolCallFormat.Mistral => ParseMistral(text),
        _ => new ParsedReply(text, []),
    };

    private static ParsedReply ParseHermes(string text)
    {
        var calls = new List<ParsedToolCall>();
        var content = new System.Text.StringBuilder();
        int at = 0;
        while (true)
        {
            int open = text.IndexOf(HermesOpen, at, StringComparison.Ordinal);
            if (open < 0) { content.Append(text, at, text.Length - at); break; }
            int bodyStart = open + HermesOpen.Length;
            int close = text.IndexOf(HermesClose, bodyStart, StringComparison.Ordinal);
            // A model that stops at end-of-turn right after the JSON may leave the block unterminated.
            int bodyEnd = close < 0 ? text.Length : close;
            var call = TryCall(text[bodyStart..bodyEnd], "arguments");
            if (call is null) { content.Append(text, at, text.Length - at); break; }
            content.Append(text, at, open - at);
            calls.Add(call);
            at = close < 0 ? text.Length : close + HermesClose.Length;
        }
        return calls.Count == 0 ? new ParsedReply(text, []) : new ParsedReply(content.ToString().Trim(), calls);
    }

    private static ParsedReply ParseLlama3(string text)
    {
        var body = text.Trim();
        if (body.StartsWith(PythonTag, StringComparison.Ordinal)) body = body[PythonTag.Length..].Trim();
        if (!body.StartsWith('{')) return new ParsedReply(text, []);
        // One call, or several separated by ';' or new lines.
        var calls = new List<ParsedToolCall>();
        foreach (var element in ReadJsonValues(body))
        {
            var call = element.ValueKind == JsonValueKind.Object ? FromObject(element, "parameters") : null;
            if (call is null) return new ParsedReply(text, []);
            calls.Add(call);
        }
        return calls.Count == 0 ? new ParsedReply(text, []) : new ParsedReply("", calls);
    }

    private static ParsedReply ParseMistral(string text)
    {
        int marker = text.IndexOf(MistralMarker, StringComparison.Ordinal);
        if (marker < 0) return new ParsedReply(text, []);
        var content = text[..marker].Trim();
        var rest = text[(marker + MistralMarker.Length)..].Trim();
        var calls = new List<ParsedToolCall>();
        if (rest.StartsWith('['))
        {
            foreach (var element in ReadJsonValues(rest))
            {
                if (element.ValueKind != JsonValueKind.Array) return new ParsedReply(text, []);
                foreach (var item in element.EnumerateArray())
                {
                    var call = item.ValueKind == JsonValueKind.Object ? FromObject(item, "arguments") : null;
                    if (call is null) return new ParsedReply(text, []);
                    calls.Add(call);
                }
            }
        }
        else
        {
            // The newer form: [TOOL_CALLS]name[ARGS]{…}, repeated.
            foreach (var part in (MistralMarker + rest).Split(MistralMarker, StringSplitOptions.RemoveEmptyEntries))
            {
                int args = part.IndexOf("[ARGS]", StringComparison.Ordinal);
                if (args <= 0) return new ParsedReply(text, []);
                var name = part[..args].Trim();
                var json = TryParse(part[(args + 6)..].Trim());
                if (json is not { ValueKind: JsonValueKind.Object } a || name.Length == 0) return new ParsedReply(text, []);
                calls.Add(new ParsedToolCall(name, a));
            }
        }
        return calls.Count == 0 ? new ParsedReply(text, []) : new ParsedReply(content, calls);
    }

    private static ParsedToolCall? TryCall(string json, string argumentsKey) =>
        TryParse(json.Trim()) is { ValueKind: JsonValueKind.Object } e ? FromObject(e, argumentsKey) : null;

    /// <summary>A call from <c>{"name": …, "arguments"|"parameters": {…} or "{…}"}</c>; null when it is not one.</summary>
    private static ParsedToolCall? FromObject(JsonElement e, string argumentsKey)
    {
        if (!e.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString()))
            return null;
        JsonElement args;
        if (!e.TryGetProperty(argumentsKey, out args) && !e.TryGetProperty("arguments", out args) && !e.TryGetProperty("parameters", out args))
            args = EmptyObject;
        if (args.ValueKind == JsonValueKind.String && TryParse(args.GetString()!) is { ValueKind: JsonValueKind.Object } inner) args = inner;
        if (args.ValueKind == JsonValueKind.Null) args = EmptyObject;
        if (args.ValueKind != JsonValueKind.Object) return null;
        return new ParsedToolCall(name.GetString()!, args.Clone());
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static JsonElement? TryParse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Consecutive JSON values separated by white space, ';' or ','; stops at the first that does not parse.</summary>
    private static List<JsonElement> ReadJsonValues(string text)
    {
        var values = new List<JsonElement>();
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        int at = 0;
        while (at < bytes.Length)
        {
            while (at < bytes.Length && (bytes[at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)';' or (byte)',')) at++;
            if (at >= bytes.Length) break;
            var reader = new Utf8JsonReader(bytes.AsSpan(at), new JsonReaderOptions { AllowTrailingCommas = true });
            try
            {
                if (!JsonDocument.TryParseValue(ref reader, out var doc)) return [];
                using (doc) values.Add(doc.RootElement.Clone());
                at += (int)reader.BytesConsumed;
            }
            catch (JsonException) { return []; }
        }
        return values;
    }
}

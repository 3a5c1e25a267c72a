using System.Text.Json;
using Baimo.Server.Http;
using Microsoft.Extensions.AI;

namespace Baimo.Server.OpenAI;

/// <summary><c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c> as Microsoft.Extensions.AI tool options.</summary>
public static class ToolParameters
{
    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public static void Read(JsonRequest r, ChatOptions options)
    {
        if (r.Array("tools") is { } tools)
        {
            var list = new List<AITool>();
            int i = 0;
            foreach (var t in tools.EnumerateArray())
                list.Add(Declaration(new JsonRequest(t, $"tools[{i++}]")));
            if (list.Count > 0) options.Tools = list;
        }
        if (r.Bool("parallel_tool_calls") is { } parallel) options.AllowMultipleToolCalls = parallel;
        if (r.Get("tool_choice") is { } choice)
        {
            options.ToolMode = choice.ValueKind switch
            {
                JsonValueKind.String => choice.GetString() switch
                {
                    "none" => ChatToolMode.None,
                    "auto" => ChatToolMode.Auto,
                    "required" => ChatToolMode.RequireAny,
                    var s => throw r.Invalid("tool_choice", $"must be none, auto, required or a function (got '{s}')"),
                },
                JsonValueKind.Object => Specific(new JsonRequest(choice, "tool_choice"), options),
                _ => throw r.Invalid("tool_choice", "must be a string or an object"),
            };
        }
    }

    public static AIFunctionDeclaration Declaration(JsonRequest t)
    {
        var type = t.String("type") ?? "function";
        if (type != "function") throw Errors.ApiException.Unsupported(t.PathOf("type"), $"only function tools are supported (got '{type}')");
        var f = t.Object("function") ?? throw t.Invalid("function", "is required");
        var name = f.String("name") ?? throw f.Invalid("name", "is required");
        if (name.Length == 0 || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw f.Invalid("name", "must be 1–64 letters, digits, underscores or dashes");
        var description = f.String("description");
        var parameters = f.Get("parameters") is { } p ? (p.ValueKind == JsonValueKind.Object ? p.Clone() : throw f.Invalid("parameters", "must be a JSON schema object")) : EmptySchema;
        f.Bool("strict");
        f.RejectUnknown();
        t.RejectUnknown();
        return AIFunctionFactory.CreateDeclaration(name, description, parameters);
    }

    private static ChatToolMode Specific(JsonRequest c, ChatOptions options)
    {
        var type = c.String("type") ?? "function";
        if (type != "function") throw c.Invalid("type", "must be 'function'");
        var f = c.Object("function") ?? throw c.Invalid("function", "is required");
        var name = f.String("name") ?? throw f.Invalid("name", "is required");
        f.RejectUnknown();
        c.RejectUnknown();
        if (options.Tools?.Any(t => t.Name == name) != true) throw c.Invalid("function.name", $"names no tool in 'tools' ('{name}')");
        return ChatToolMode.RequireSpecific(name);
    }
}

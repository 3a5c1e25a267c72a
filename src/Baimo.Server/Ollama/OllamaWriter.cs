using System.Text.Json;
using Baimo.AI;
using Baimo.Server.OpenAI;
using Baimo.Server.Replies;
using Microsoft.Extensions.AI;

namespace Baimo.Server.Ollama;

/// <summary>Fields Ollama's responses share: timestamps, timings in nanoseconds, tool calls.</summary>
public static class OllamaWriter
{
    public static void Start(Utf8JsonWriter w, string model)
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("created_at", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"));
    }

    /// <summary>done, done_reason and the timings of a finished reply.</summary>
    public static void Done(Utf8JsonWriter w, ReplyPiece? last, TimeSpan elapsed)
    {
        var u = last?.Usage;
        w.WriteString("done_reason", last?.OllamaDoneReason ?? "stop");
        w.WriteBoolean("done", true);
        w.WriteNumber("total_duration", Nanoseconds(elapsed));
        w.WriteNumber("load_duration", 0);
        w.WriteNumber("prompt_eval_count", u?.PromptTokens ?? 0);
        w.WriteNumber("prompt_eval_duration", Nanoseconds(u?.TimeToFirstToken ?? TimeSpan.Zero));
        w.WriteNumber("eval_count", u?.CompletionTokens ?? 0);
        w.WriteNumber("eval_duration", Nanoseconds(u is null ? TimeSpan.Zero : u.Total - u.TimeToFirstToken));
    }

    /// <summary><c>"tool_calls":[{"function":{"name","arguments":{…}}}]</c>.</summary>
    public static void ToolCalls(Utf8JsonWriter w, IReadOnlyList<FunctionCallContent> calls)
    {
        w.WriteStartArray("tool_calls");
        foreach (var c in calls)
        {
            w.WriteStartObject();
            w.WriteStartObject("function");
            w.WriteString("name", c.Name);
            w.WritePropertyName("arguments");
            w.WriteRawValue(OpenAiWriter.ArgumentsJson(c));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static long Nanoseconds(TimeSpan t) => t.Ticks * 100;
}

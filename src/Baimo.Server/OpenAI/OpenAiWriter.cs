using System.Text;
using System.Text.Json;
using Baimo.AI;
using Microsoft.Extensions.AI;

namespace Baimo.Server.OpenAI;

/// <summary>Pieces of OpenAI responses shared by the routes: usage, log-probabilities, tool calls.</summary>
public static class OpenAiWriter
{
    public static void Usage(Utf8JsonWriter w, CompletionUsage? usage)
    {
        w.WriteStartObject("usage");
        int prompt = usage?.PromptTokens ?? 0, completion = usage?.CompletionTokens ?? 0;
        w.WriteNumber("prompt_tokens", prompt);
        w.WriteNumber("completion_tokens", completion);
        w.WriteNumber("total_tokens", prompt + completion);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", usage?.CachedPromptTokens ?? 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Chat log-probabilities: <c>{"content":[{token, logprob, bytes, top_logprobs}]}</c>.</summary>
    public static void ChatLogprobs(Utf8JsonWriter w, IEnumerable<TokenEvent> events)
    {
        w.WriteStartObject("logprobs");
        w.WriteStartArray("content");
        foreach (var e in events)
        {
            if (e.TokenId < 0) continue;
            w.WriteStartObject();
            Token(w, e.Text, e.Logprob);
            w.WriteStartArray("top_logprobs");
            foreach (var t in e.TopLogprobs ?? [])
            {
                w.WriteStartObject();
                Token(w, t.Text, t.Logprob);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNull("refusal");
        w.WriteEndObject();
    }

    private static void Token(Utf8JsonWriter w, string text, float logprob)
    {
        w.WriteString("token", text);
        w.WriteNumber("logprob", float.IsFinite(logprob) ? logprob : -9999f);
        w.WriteStartArray("bytes");
        foreach (var b in Encoding.UTF8.GetBytes(text)) w.WriteNumberValue(b);
        w.WriteEndArray();
    }

    /// <summary>Legacy completions log-probabilities: tokens, token_logprobs, top_logprobs, text_offset.</summary>
    public static void CompletionLogprobs(Utf8JsonWriter w, IReadOnlyList<TokenEvent> events, int textOffset)
    {
        var tokens = events.Where(e => e.TokenId >= 0).ToList();
        w.WriteStartObject("logprobs");
        w.WriteStartArray("tokens");
        foreach (var e in tokens) w.WriteStringValue(e.Text);
        w.WriteEndArray();
        w.WriteStartArray("token_logprobs");
        foreach (var e in tokens) w.WriteNumberValue(e.Logprob);
        w.WriteEndArray();
        w.WriteStartArray("top_logprobs");
        foreach (var e in tokens)
        {
            w.WriteStartObject();
            foreach (var t in e.TopLogprobs ?? [])
                if (!string.IsNullOrEmpty(t.Text)) w.WriteNumber(t.Text, t.Logprob);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("text_offset");
        int at = textOffset;
        foreach (var e in tokens) { w.WriteNumberValue(at); at += e.Text.Length; }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>"tool_calls":[{"index"?, "id", "type":"function", "function":{"name","arguments"}}]</c>.</summary>
    public static void ToolCalls(Utf8JsonWriter w, IReadOnlyList<FunctionCallContent> calls, bool withIndex)
    {
        w.WriteStartArray("tool_calls");
        for (int i = 0; i < calls.Count; i++)
        {
            w.WriteStartObject();
            if (withIndex) w.WriteNumber("index", i);
            w.WriteString("id", calls[i].CallId);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", calls[i].Name);
            w.WriteString("arguments", ArgumentsJson(calls[i]));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static string ArgumentsJson(FunctionCallContent call) =>
        call.RawRepresentation is ParsedToolCall parsed ? parsed.ArgumentsJson
        : JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
}

using System.Text;
using System.Text.Json;
using Baimo.AI;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Server.Errors;
using Baimo.Server.Http;
using Baimo.Server.Metrics;
using Baimo.Server.Replies;
using Microsoft.Extensions.AI;

namespace Baimo.Server.OpenAI;

/// <summary><c>POST /v1/chat/completions</c>: a chat reply through the model's <see cref="IChatClient"/>, whole or as SSE chunks.</summary>
public static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ModelRouter models, ServerMetrics metrics)
    {
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var request = ChatCompletionRequest.Parse(body.RootElement);
        var ct = context.RequestAborted;
        using var lease = await models.AcquireAsync(request.Model, ct);
        var host = lease.Host;
        if (!host.IsChatModel(request.Model)) throw ApiException.ModelNotFound(request.Model!);

        await using var reply = await ReplyStream.StartAsync(ReplyStream.FromChat(host.ChatClient, request.Messages, request.Options, ct), metrics, ct);
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (request.Stream) await StreamAsync(context, host, request, reply, id, created);
        else await WholeAsync(context, host, request, reply, id, created);
    }

    private static async Task WholeAsync(HttpContext context, ModelHost host, ChatCompletionRequest request, ReplyStream reply, string id, long created)
    {
        var text = new StringBuilder();
        var events = new List<TokenEvent>();
        ReplyPiece? last = null;
        await foreach (var piece in reply.ReadAllAsync())
        {
            text.Append(piece.Text);
            events.AddRange(piece.Events);
            last = piece;
        }
        var calls = last?.ToolCalls ?? [];
        await JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            Header(w, id, "chat.completion", created, host.ModelId);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (text.Length == 0 && calls.Count > 0) w.WriteNull("content"); else w.WriteString("content", text.ToString());
            w.WriteNull("refusal");
            if (calls.Count > 0) OpenAiWriter.ToolCalls(w, calls, withIndex: false);
            w.WriteEndObject();
            if (request.Logprobs) OpenAiWriter.ChatLogprobs(w, events); else w.WriteNull("logprobs");
            w.WriteString("finish_reason", last?.OpenAiFinishReason ?? "stop");
            w.WriteEndObject();
            w.WriteEndArray();
            OpenAiWriter.Usage(w, last?.Usage);
            w.WriteEndObject();
        });
    }

    private static async Task StreamAsync(HttpContext context, ModelHost host, ChatCompletionRequest request, ReplyStream reply, string id, long created)
    {
        var sse = EventStream.ServerSentEvents(context);
        bool first = true;
        ReplyPiece? last = null;
        await foreach (var piece in reply.ReadAllAsync())
        {
            last = piece;
            bool hasDelta = piece.Text.Length > 0 || piece.ToolCalls.Count > 0 || (first && !piece.IsLast)
                || (request.Logprobs && piece.Events.Any(e => e.TokenId >= 0));
            if (hasDelta)
            {
                bool role = first;
                first = false;
                await sse.WriteAsync(w => Chunk(w, host, request, id, created, piece, role, finish: null));
            }
            if (piece.IsLast)
                await sse.WriteAsync(w => Chunk(w, host, request, id, created, null, false, piece.OpenAiFinishReason));
        }
        if (request.IncludeUsage)
            await sse.WriteAsync(w =>
            {
                w.WriteStartObject();
                Header(w, id, "chat.completion.chunk", created, host.ModelId);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                OpenAiWriter.Usage(w, last?.Usage);
                w.WriteEndObject();
            });
        await sse.DoneAsync();
    }

    private static void Chunk(Utf8JsonWriter w, ModelHost host, ChatCompletionRequest request, string id, long created,
        ReplyPiece? piece, bool role, string? finish)
    {
        w.WriteStartObject();
        Header(w, id, "chat.completion.chunk", created, host.ModelId);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        if (piece != null)
        {
            if (role) w.WriteString("role", "assistant");
            if (piece.Text.Length > 0 || piece.ToolCalls.Count == 0) w.WriteString("content", piece.Text);
            if (piece.ToolCalls.Count > 0) OpenAiWriter.ToolCalls(w, piece.ToolCalls, withIndex: true);
        }
        w.WriteEndObject();
        if (piece != null && request.Logprobs) OpenAiWriter.ChatLogprobs(w, piece.Events); else w.WriteNull("logprobs");
        if (finish is null) w.WriteNull("finish_reason"); else w.WriteString("finish_reason", finish);
        w.WriteEndObject();
        w.WriteEndArray();
        if (request.IncludeUsage) w.WriteNull("usage");
        w.WriteEndObject();
    }

    internal static void Header(Utf8JsonWriter w, string id, string type, long created, string model)
    {
        w.WriteString("id", id);
        w.WriteString("object", type);
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", "baimo");
    }
}

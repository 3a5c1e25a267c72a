using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Server.Http;
using Baimo.Server.Metrics;
using Baimo.Server.OpenAI;
using Baimo.Server.Replies;
using Microsoft.Extensions.AI;

namespace Baimo.Server.Ollama;

/// <summary><c>POST /api/chat</c>: a chat reply, streamed as NDJSON unless <c>"stream": false</c>.</summary>
public static class OllamaChatEndpoint
{
    public static async Task HandleAsync(HttpContext context, ModelRouter models, ServerMetrics metrics)
    {
        var started = Stopwatch.StartNew();
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var r = new JsonRequest(body.RootElement);
        var model = r.String("model");
        if (string.IsNullOrEmpty(model)) throw r.Invalid("model", "is required");
        using var lease = await models.AcquireAsync(model, context.RequestAborted);
        var host = lease.Host;
        if (!host.IsChatModel(model)) throw OllamaOptions.ModelNotFound(model);
        var messages = MessagesOf(r);
        var options = OllamaOptions.Read(r);
        if (r.Array("tools") is { } tools)
        {
            int i = 0;
            options.Tools = [.. tools.EnumerateArray().Select(t => (AITool)ToolParameters.Declaration(new JsonRequest(t, $"tools[{i++}]")))];
        }
        bool stream = r.Bool("stream") ?? true;
        OllamaOptions.RefuseUnsupported(r);
        r.RejectUnknown();

        var ct = context.RequestAborted;
        await using var reply = await ReplyStream.StartAsync(ReplyStream.FromChat(host.ChatClient, messages, options, ct), metrics, ct);
        var name = model!;
        if (stream)
        {
            var ndjson = EventStream.Ndjson(context);
            await foreach (var piece in reply.ReadAllAsync())
            {
                if (piece.Text.Length > 0 || piece.ToolCalls.Count > 0)
                    await ndjson.WriteAsync(w =>
                    {
                        OllamaWriter.Start(w, name);
                        Message(w, piece.Text, piece.ToolCalls);
                        w.WriteBoolean("done", false);
                        w.WriteEndObject();
                    });
                if (piece.IsLast)
                    await ndjson.WriteAsync(w =>
                    {
                        OllamaWriter.Start(w, name);
                        Message(w, "", []);
                        OllamaWriter.Done(w, piece, started.Elapsed);
                        w.WriteEndObject();
                    });
            }
            await ndjson.DoneAsync();
            return;
        }
        var text = new StringBuilder();
        ReplyPiece? last = null;
        await foreach (var piece in reply.ReadAllAsync()) { text.Append(piece.Text); last = piece; }
        await JsonOut.WriteAsync(context, 200, w =>
        {
            OllamaWriter.Start(w, name);
            Message(w, text.ToString(), last?.ToolCalls ?? []);
            OllamaWriter.Done(w, last, started.Elapsed);
            w.WriteEndObject();
        });
    }

    private static void Message(Utf8JsonWriter w, string content, IReadOnlyList<FunctionCallContent> calls)
    {
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", content);
        if (calls.Count > 0) OllamaWriter.ToolCalls(w, calls);
        w.WriteEndObject();
    }

    private static List<ChatMessage> MessagesOf(JsonRequest r)
    {
        var array = r.Array("messages") ?? throw r.Invalid("messages", "is required");
        var list = new List<ChatMessage>();
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var m = new JsonRequest(item, $"messages[{i}]");
            var role = m.String("role") ?? throw m.Invalid("role", "is required");
            var content = m.String("content") ?? "";
            m.Refuse("images", "this model takes text only", v => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0);
            m.Ignore("thinking");
            var contents = new List<AIContent>();
            switch (role)
            {
                case "system" or "user":
                    contents.Add(new TextContent(content));
                    break;
                case "assistant":
                    if (content.Length > 0) contents.Add(new TextContent(content));
                    if (m.Array("tool_calls") is { } calls)
                    {
                        int j = 0;
                        foreach (var c in calls.EnumerateArray())
                        {
                            var call = new JsonRequest(c, $"{m.PathOf("tool_calls")}[{j}]");
                            var f = call.Object("function") ?? throw call.Invalid("function", "is required");
                            var fname = f.String("name") ?? throw f.Invalid("name", "is required");
                            var args = f.Get("arguments") is { ValueKind: JsonValueKind.Object } a
                                ? a.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone())
                                : new Dictionary<string, object?>();
                            f.Ignore("index");
                            f.RejectUnknown();
                            call.Ignore("id", "type");
                            call.RejectUnknown();
                            contents.Add(new FunctionCallContent($"call_{i}_{j++}", fname, args));
                        }
                    }
                    break;
                case "tool":
                    var callId = m.String("tool_call_id") ?? m.String("tool_name") ?? "";
                    contents.Add(new FunctionResultContent(callId, content));
                    break;
                default:
                    throw m.Invalid("role", $"must be system, user, assistant or tool (got '{role}')");
            }
            m.Ignore("tool_name", "tool_call_id");
            m.RejectUnknown();
            list.Add(new ChatMessage(new ChatRole(role), contents));
            i++;
        }
        return list;
    }
}

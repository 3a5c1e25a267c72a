using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Baimo.AI;
using Baimo.Generation;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Server.Errors;
using Baimo.Server.Http;
using Baimo.Server.Metrics;
using Baimo.Server.Replies;
using MEAI = Microsoft.Extensions.AI;

namespace Baimo.Server.Ollama;

/// <summary>
/// <c>POST /api/generate</c>: completes a prompt, wrapped in the model's chat template (with <c>system</c>)
/// unless <c>"raw": true</c>. An empty prompt only confirms the model is loaded.
/// </summary>
public static class OllamaGenerateEndpoint
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
        var prompt = r.String("prompt") ?? "";
        var system = r.String("system");
        bool raw = r.Bool("raw") ?? false;
        var options = OllamaOptions.Read(r);
        bool stream = r.Bool("stream") ?? true;
        r.Refuse("suffix", "insertion (fill-in-the-middle) is not supported", v => v.ValueKind == JsonValueKind.String && v.GetString() == "");
        r.Refuse("template", "the model's own chat template is always used", v => v.ValueKind == JsonValueKind.String && v.GetString() == "");
        r.Refuse("context", "send the conversation to /api/chat instead", v => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0);
        OllamaOptions.RefuseUnsupported(r);
        r.RejectUnknown();

        var name = model!;
        if (prompt.Length == 0 && system is null)
        {
            await JsonOut.WriteAsync(context, 200, w =>
            {
                OllamaWriter.Start(w, name);
                w.WriteString("response", "");
                w.WriteBoolean("done", true);
                w.WriteString("done_reason", "load");
                w.WriteEndObject();
            });
            return;
        }

        var ct = context.RequestAborted;
        IAsyncEnumerable<ReplyPiece> pieces;
        if (raw)
        {
            var ids = host.Model.Tokenizer.Encode(prompt, addSpecial: true, parseSpecial: true);
            if (ids.Length == 0) throw r.Invalid("prompt", "is empty");
            pieces = ReplyStream.FromEngine(host.Engine, Raw(ids, options, host), ct);
        }
        else
        {
            var messages = new List<MEAI.ChatMessage>();
            if (system != null) messages.Add(new MEAI.ChatMessage(MEAI.ChatRole.System, system));
            messages.Add(new MEAI.ChatMessage(MEAI.ChatRole.User, prompt));
            pieces = ReplyStream.FromChat(host.ChatClient, messages, options, ct);
        }
        await using var reply = await ReplyStream.StartAsync(pieces, metrics, ct);
        if (stream)
        {
            var ndjson = EventStream.Ndjson(context);
            await foreach (var piece in reply.ReadAllAsync())
            {
                if (piece.Text.Length > 0)
                    await ndjson.WriteAsync(w =>
                    {
                        OllamaWriter.Start(w, name);
                        w.WriteString("response", piece.Text);
                        w.WriteBoolean("done", false);
                        w.WriteEndObject();
                    });
                if (piece.IsLast)
                    await ndjson.WriteAsync(w =>
                    {
                        OllamaWriter.Start(w, name);
                        w.WriteString("response", "");
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
            w.WriteString("response", text.ToString());
            OllamaWriter.Done(w, last, started.Elapsed);
            w.WriteEndObject();
        });
    }

    private static CompletionRequest Raw(int[] ids, MEAI.ChatOptions o, ModelHost host)
    {
        var s = new SamplingOptions();
        float? Extra(string key) => o.AdditionalProperties?.TryGetValue(key, out var v) == true && v is float f ? f : null;
        s = s with
        {
            Temperature = o.Temperature ?? s.Temperature,
            TopP = o.TopP ?? s.TopP,
            TopK = o.TopK ?? s.TopK,
            PresencePenalty = o.PresencePenalty ?? 0,
            FrequencyPenalty = o.FrequencyPenalty ?? 0,
            MinP = Extra(BaimoChatProperties.MinP) ?? s.MinP,
            RepeatPenalty = Extra(BaimoChatProperties.RepeatPenalty) ?? s.RepeatPenalty,
            Seed = o.Seed is { } seed ? unchecked((int)seed) : null,
        };
        return new CompletionRequest
        {
            Prompt = ids,
            Options = new GenerationOptions { MaxTokens = o.MaxOutputTokens ?? 0, Stop = o.StopSequences is { } st ? [.. st] : [], Sampling = s },
            Constraint = ResponseFormats.ConstraintFor(o.ResponseFormat, host.Model.Tokenizer),
            Timeout = host.Options.Timeout,
        };
    }
}

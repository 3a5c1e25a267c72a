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
using Microsoft.Extensions.AI;

namespace Baimo.Server.OpenAI;

/// <summary><c>POST /v1/completions</c>: continues a raw prompt (text or token ids), no chat template.</summary>
public static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ModelRouter models, ServerMetrics metrics)
    {
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var r = new JsonRequest(body.RootElement);
        var model = r.String("model");
        using var lease = await models.AcquireAsync(model, context.RequestAborted);
        var host = lease.Host;
        if (!host.IsChatModel(model)) throw ApiException.ModelNotFound(model!);
        var prompt = PromptOf(r, host);
        var options = new ChatOptions { AdditionalProperties = [] };
        SamplingParameters.Read(r, options);
        int maxTokens = r.Int("max_tokens", 0, int.MaxValue) ?? 16;
        int? logprobs = r.Int("logprobs", 0, 20);
        bool stream = r.Bool("stream") ?? false;
        bool includeUsage = false;
        if (r.Object("stream_options") is { } so)
        {
            if (!stream) throw r.Invalid("stream_options", "is only allowed with 'stream': true");
            includeUsage = so.Bool("include_usage") ?? false;
            so.RejectUnknown();
        }
        r.Refuse("n", "this server returns one choice per request", v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n == 1);
        r.Refuse("best_of", "this server returns one choice per request", v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n == 1);
        r.Refuse("echo", "the prompt is not echoed", v => v.ValueKind == JsonValueKind.False);
        r.Refuse("suffix", "insertion (fill-in-the-middle) is not supported", v => v.ValueKind == JsonValueKind.String && v.GetString() == "");
        r.Refuse("logit_bias", "token biases are not supported", v => v.ValueKind == JsonValueKind.Object && !v.EnumerateObject().Any());
        r.Ignore("user");
        r.RejectUnknown();

        var sampling = new SamplingOptions();
        sampling = sampling with
        {
            Temperature = options.Temperature ?? sampling.Temperature,
            TopP = options.TopP ?? sampling.TopP,
            TopK = options.TopK ?? sampling.TopK,
            PresencePenalty = options.PresencePenalty ?? 0,
            FrequencyPenalty = options.FrequencyPenalty ?? 0,
            MinP = options.AdditionalProperties.TryGetValue(BaimoChatProperties.MinP, out var mp) ? (float)mp! : sampling.MinP,
            RepeatPenalty = options.AdditionalProperties.TryGetValue(BaimoChatProperties.RepeatPenalty, out var rp) ? (float)rp! : sampling.RepeatPenalty,
            Seed = options.Seed is { } s ? unchecked((int)s) : null,
        };
        var request = new CompletionRequest
        {
            Prompt = prompt,
            Options = new GenerationOptions
            {
                MaxTokens = maxTokens,
                Stop = options.StopSequences is { } stop ? [.. stop] : [],
                IgnoreEndOfGeneration = options.AdditionalProperties.ContainsKey(BaimoChatProperties.IgnoreEos),
                Sampling = sampling,
            },
            Logprobs = logprobs is not null,
            TopLogprobs = logprobs ?? 0,
            Timeout = host.Options.Timeout,
        };

        var ct = context.RequestAborted;
        await using var reply = await ReplyStream.StartAsync(ReplyStream.FromEngine(host.Engine, request, ct), metrics, ct);
        var id = "cmpl-" + Guid.NewGuid().ToString("N");
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (stream)
        {
            var sse = EventStream.ServerSentEvents(context);
            ReplyPiece? last = null;
            int offset = 0;
            await foreach (var piece in reply.ReadAllAsync())
            {
                last = piece;
                if (piece.Text.Length == 0 && !piece.IsLast && logprobs is null) continue;
                int at = offset;
                offset += piece.Text.Length;
                await sse.WriteAsync(w => Body(w, id, created, host.ModelId, piece.Text, logprobs is null ? null : piece.Events, at,
                    piece.IsLast ? piece.OpenAiFinishReason : null, usage: null, writeUsage: false));
            }
            if (includeUsage)
                await sse.WriteAsync(w =>
                {
                    w.WriteStartObject();
                    ChatCompletionsEndpoint.Header(w, id, "text_completion", created, host.ModelId);
                    w.WriteStartArray("choices");
                    w.WriteEndArray();
                    OpenAiWriter.Usage(w, last?.Usage);
                    w.WriteEndObject();
                });
            await sse.DoneAsync();
            return;
        }
        var text = new StringBuilder();
        var events = new List<TokenEvent>();
        ReplyPiece? end = null;
        await foreach (var piece in reply.ReadAllAsync())
        {
            text.Append(piece.Text);
            events.AddRange(piece.Events);
            end = piece;
        }
        await JsonOut.WriteAsync(context, 200, w => Body(w, id, created, host.ModelId, text.ToString(), logprobs is null ? null : events, 0,
            end?.OpenAiFinishReason ?? "stop", end?.Usage, writeUsage: true));
    }

    private static void Body(Utf8JsonWriter w, string id, long created, string model, string text, IReadOnlyList<TokenEvent>? events,
        int textOffset, string? finish, CompletionUsage? usage, bool writeUsage)
    {
        w.WriteStartObject();
        ChatCompletionsEndpoint.Header(w, id, "text_completion", created, model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteNumber("index", 0);
        if (events is null) w.WriteNull("logprobs"); else OpenAiWriter.CompletionLogprobs(w, events, textOffset);
        if (finish is null) w.WriteNull("finish_reason"); else w.WriteString("finish_reason", finish);
        w.WriteEndObject();
        w.WriteEndArray();
        if (writeUsage) OpenAiWriter.Usage(w, usage);
        w.WriteEndObject();
    }

    /// <summary>A string, one string in an array, token ids, or one array of token ids.</summary>
    private static int[] PromptOf(JsonRequest r, ModelHost host)
    {
        var p = r.Get("prompt") ?? throw ApiException.BadRequest("'prompt' is required", "prompt", "missing_required_parameter");
        var tokenizer = host.Model.Tokenizer;
        if (p.ValueKind == JsonValueKind.String) return Encode(p.GetString()!);
        if (p.ValueKind != JsonValueKind.Array) throw r.Invalid("prompt", "must be a string, an array of strings or an array of token ids");
        var items = p.EnumerateArray().ToList();
        if (items.Count == 0) throw r.Invalid("prompt", "is empty");
        if (items.All(i => i.ValueKind == JsonValueKind.Number)) return Ids(items);
        if (items.Count > 1) throw ApiException.Unsupported("prompt", "one prompt per request (send the others separately)");
        return items[0].ValueKind switch
        {
            JsonValueKind.String => Encode(items[0].GetString()!),
            JsonValueKind.Array when items[0].EnumerateArray().All(i => i.ValueKind == JsonValueKind.Number) => Ids([.. items[0].EnumerateArray()]),
            _ => throw r.Invalid("prompt", "must be a string, an array of strings or an array of token ids"),
        };

        int[] Encode(string text)
        {
            var ids = tokenizer.Encode(text, addSpecial: true, parseSpecial: true);
            if (ids.Length == 0) throw r.Invalid("prompt", "is empty");
            return ids;
        }

        int[] Ids(List<JsonElement> list)
        {
            var ids = new int[list.Count];
            for (int i = 0; i < ids.Length; i++)
                if (!list[i].TryGetInt32(out ids[i]) || (uint)ids[i] >= (uint)tokenizer.VocabSize)
                    throw r.Invalid("prompt", $"holds a token id outside the vocabulary of {tokenizer.VocabSize}");
            if (ids.Length == 0) throw r.Invalid("prompt", "is empty");
            return ids;
        }
    }
}

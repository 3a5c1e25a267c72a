using System.Diagnostics;
using System.Text.Json;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Server.Errors;
using Baimo.Server.Http;
using Baimo.Server.OpenAI;

namespace Baimo.Server.Ollama;

/// <summary><c>POST /api/embed</c>: embeddings of one text or several.</summary>
public static class OllamaEmbedEndpoint
{
    public static async Task HandleAsync(HttpContext context, ModelRouter models)
    {
        var started = Stopwatch.StartNew();
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var r = new JsonRequest(body.RootElement);
        var model = r.String("model");
        if (string.IsNullOrEmpty(model)) throw r.Invalid("model", "is required");
        using var lease = await models.AcquireAsync(model, context.RequestAborted);
        var host = lease.Host;
        if (!host.IsEmbeddingModel(model) && !host.IsChatModel(model)) throw OllamaOptions.ModelNotFound(model);
        var generator = EmbeddingModel.Resolve(host, model);
        var input = r.Get("input") ?? throw r.Invalid("input", "is required");
        List<string> texts = input.ValueKind switch
        {
            JsonValueKind.String => [input.GetString()!],
            JsonValueKind.Array when input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => [.. input.EnumerateArray().Select(e => e.GetString()!)],
            _ => throw r.Invalid("input", "must be a string or an array of strings"),
        };
        if (texts.Count == 0) throw r.Invalid("input", "is empty");
        r.Refuse("truncate", "inputs longer than the model's context are refused, not cut", v => v.ValueKind is JsonValueKind.True or JsonValueKind.False);
        r.Refuse("dimensions", $"{generator.ModelId} gives {generator.Dimensions}-dimensional embeddings only",
            v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var d) && d == generator.Dimensions);
        r.Ignore("keep_alive", "options");
        r.RejectUnknown();

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: context.RequestAborted);
        await JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteStartArray("embeddings");
            foreach (var e in embeddings)
            {
                w.WriteStartArray();
                foreach (var v in e.Vector.Span) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteNumber("total_duration", OllamaWriter.Nanoseconds(started.Elapsed));
            w.WriteNumber("load_duration", 0);
            w.WriteNumber("prompt_eval_count", embeddings.Usage?.InputTokenCount ?? 0);
            w.WriteEndObject();
        });
    }
}

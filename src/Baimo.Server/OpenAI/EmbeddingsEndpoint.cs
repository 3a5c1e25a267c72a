using System.Runtime.InteropServices;
using System.Text.Json;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Server.Errors;
using Baimo.Server.Http;

namespace Baimo.Server.OpenAI;

/// <summary><c>POST /v1/embeddings</c>: sentence embeddings from the embedding model, as floats or base64.</summary>
public static class EmbeddingsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ModelRouter models)
    {
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var r = new JsonRequest(body.RootElement);
        var model = r.String("model");
        using var lease = await models.AcquireAsync(model, context.RequestAborted);
        var host = lease.Host;
        var generator = EmbeddingModel.Resolve(host, model);
        var inputs = Inputs(r);
        var format = r.String("encoding_format") ?? "float";
        if (format is not ("float" or "base64")) throw r.Invalid("encoding_format", $"must be float or base64 (got '{format}')");
        if (r.Int("dimensions", 1, int.MaxValue) is { } d && d != generator.Dimensions)
            throw ApiException.Unsupported("dimensions", $"{generator.ModelId} gives {generator.Dimensions}-dimensional embeddings only");
        r.Ignore("user");
        r.RejectUnknown();

        var embeddings = await generator.GenerateAsync(inputs, cancellationToken: context.RequestAborted);
        long tokens = embeddings.Usage?.InputTokenCount ?? 0;
        await JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            for (int i = 0; i < embeddings.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                var vector = embeddings[i].Vector.Span;
                if (format == "base64") w.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector));
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var v in vector) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("model", generator.ModelId);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", tokens);
            w.WriteNumber("total_tokens", tokens);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static List<string> Inputs(JsonRequest r)
    {
        var input = r.Get("input") ?? throw ApiException.BadRequest("'input' is required", "input", "missing_required_parameter");
        List<string> list;
        if (input.ValueKind == JsonValueKind.String) list = [input.GetString()!];
        else if (input.ValueKind == JsonValueKind.Array && input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            list = [.. input.EnumerateArray().Select(e => e.GetString()!)];
        else if (input.ValueKind == JsonValueKind.Array)
            throw ApiException.Unsupported("input", "token-id input is not supported; send text");
        else throw r.Invalid("input", "must be a string or an array of strings");
        if (list.Count == 0) throw r.Invalid("input", "is empty");
        if (list.Count > 2048) throw r.Invalid("input", "may hold at most 2048 texts");
        return list;
    }
}

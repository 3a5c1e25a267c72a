using System.Text.Json;
using Baimo.AI;
using Baimo.Server.Errors;
using Baimo.Server.Http;
using Microsoft.Extensions.AI;

namespace Baimo.Server.Ollama;

/// <summary>Ollama's <c>options</c> object and <c>format</c> field as chat options.</summary>
public static class OllamaOptions
{
    /// <summary>Options that tune hardware or memory, which Baimo decides itself; accepted and not acted on.</summary>
    private static readonly string[] Ignored =
        ["num_ctx", "num_batch", "num_gpu", "main_gpu", "num_thread", "use_mmap", "use_mlock", "numa", "num_keep", "low_vram", "f16_kv", "vocab_only", "penalize_newline"];

    public static ChatOptions Read(JsonRequest r)
    {
        var options = new ChatOptions { AdditionalProperties = [] };
        if (r.Object("options") is { } o)
        {
            options.Temperature = o.Float("temperature", 0, 100);
            options.TopP = o.Float("top_p", float.Epsilon, 1);
            options.TopK = o.Int("top_k", 0, int.MaxValue);
            options.PresencePenalty = o.Float("presence_penalty", -100, 100);
            options.FrequencyPenalty = o.Float("frequency_penalty", -100, 100);
            options.Seed = o.Long("seed");
            if (o.Strings("stop", 64) is { } stop) options.StopSequences = stop.Where(s => s.Length > 0).ToList();
            if (o.Int("num_predict", -2, int.MaxValue) is { } n) options.MaxOutputTokens = n <= 0 ? null : n;
            if (o.Float("min_p", 0, 1) is { } minP) options.AdditionalProperties[BaimoChatProperties.MinP] = minP;
            if (o.Float("repeat_penalty", float.Epsilon, 100) is { } rp) options.AdditionalProperties[BaimoChatProperties.RepeatPenalty] = rp;
            if (o.Int("repeat_last_n", -1, int.MaxValue) is { } rl) options.AdditionalProperties[BaimoChatProperties.RepeatLastN] = rl;
            o.Refuse("mirostat", "mirostat sampling is not supported", v => v.ValueKind == JsonValueKind.Number && v.GetDouble() == 0);
            o.Refuse("typical_p", "typical sampling is not supported", v => v.ValueKind == JsonValueKind.Number && v.GetDouble() == 1);
            o.Refuse("tfs_z", "tail-free sampling is not supported", v => v.ValueKind == JsonValueKind.Number && v.GetDouble() == 1);
            o.Ignore("mirostat_tau", "mirostat_eta");
            o.Ignore(Ignored);
            o.RejectUnknown();
        }
        if (r.Get("format") is { } format)
        {
            options.ResponseFormat = format.ValueKind switch
            {
                JsonValueKind.String when format.GetString() == "" => null,
                JsonValueKind.String when format.GetString() == "json" => ChatResponseFormat.Json,
                JsonValueKind.Object => ChatResponseFormat.ForJsonSchema(format.Clone()),
                _ => throw r.Invalid("format", "must be \"json\" or a JSON schema object"),
            };
        }
        return options;
    }

    /// <summary>Refuses Ollama fields that change behaviour Baimo does not offer.</summary>
    public static void RefuseUnsupported(JsonRequest r)
    {
        r.Refuse("think", "this server does not separate thinking", v => v.ValueKind == JsonValueKind.False);
        r.Ignore("keep_alive");
        r.Refuse("images", "this model takes text only", v => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0);
    }

    public static ApiException ModelNotFound(string? model) =>
        new(404, $"model '{model}' not found", "model", "model_not_found");
}

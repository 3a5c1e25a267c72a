using System.Globalization;
using System.Text.Json;
using Baimo.Generation;
using MEAI = Microsoft.Extensions.AI;

namespace Baimo.AI;

/// <summary>Maps <c>ChatOptions</c> onto Baimo's generation and sampling options.</summary>
internal static class GenerationOptionsMapping
{
    public static GenerationOptions From(MEAI.ChatOptions? o, int defaultMaxTokens)
    {
        var s = new SamplingOptions();
        if (o != null)
        {
            s = s with
            {
                Temperature = o.Temperature ?? s.Temperature,
                TopP = o.TopP ?? s.TopP,
                TopK = o.TopK ?? s.TopK,
                FrequencyPenalty = o.FrequencyPenalty ?? s.FrequencyPenalty,
                PresencePenalty = o.PresencePenalty ?? s.PresencePenalty,
                MinP = Float(o, BaimoChatProperties.MinP) ?? s.MinP,
                RepeatPenalty = Float(o, BaimoChatProperties.RepeatPenalty) ?? s.RepeatPenalty,
                PenaltyLastN = Int(o, BaimoChatProperties.RepeatLastN) ?? s.PenaltyLastN,
                Seed = o.Seed is { } seed ? unchecked((int)seed) : null,
            };
        }
        s.Validate();
        return new GenerationOptions
        {
            MaxTokens = o?.MaxOutputTokens ?? defaultMaxTokens,
            Stop = o?.StopSequences is { Count: > 0 } stops ? [.. stops] : [],
            IgnoreEndOfGeneration = Bool(o, BaimoChatProperties.IgnoreEos) ?? false,
            Sampling = s,
        };
    }

    public static bool? Bool(MEAI.ChatOptions? o, string key) => Value(o, key) switch
    {
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        null => null,
        var v => throw new ArgumentException($"{key} must be true or false (got {v})"),
    };

    public static int? Int(MEAI.ChatOptions? o, string key) => Value(o, key) switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        JsonElement e when e.TryGetInt32(out var i) => i,
        var v => throw new ArgumentException($"{key} must be an integer (got {v})"),
    };

    public static float? Float(MEAI.ChatOptions? o, string key) => Value(o, key) switch
    {
        null => null,
        float f => f,
        double d => (float)d,
        int i => i,
        long l => l,
        JsonElement e when e.ValueKind == JsonValueKind.Number => e.GetSingle(),
        var v => throw new ArgumentException($"{key} must be a number (got {Convert.ToString(v, CultureInfo.InvariantCulture)})"),
    };

    private static object? Value(MEAI.ChatOptions? o, string key) =>
        o?.AdditionalProperties is { } p && p.TryGetValue(key, out var v) ? v : null;
}

using Baimo.AI;
using Baimo.Server.Http;
using Microsoft.Extensions.AI;

namespace Baimo.Server.OpenAI;

/// <summary>The sampling fields the OpenAI routes share (plus llama.cpp's top_k, min_p, repeat_penalty, ignore_eos).</summary>
public static class SamplingParameters
{
    public static void Read(JsonRequest r, ChatOptions options)
    {
        options.Temperature = r.Float("temperature", 0, 2);
        options.TopP = r.Float("top_p", float.Epsilon, 1);
        options.TopK = r.Int("top_k", 0, int.MaxValue);
        options.PresencePenalty = r.Float("presence_penalty", -2, 2);
        options.FrequencyPenalty = r.Float("frequency_penalty", -2, 2);
        options.Seed = r.Long("seed");
        if (r.Strings("stop", 16) is { } stop) options.StopSequences = stop.Where(s => s.Length > 0).ToList();
        options.AdditionalProperties ??= [];
        if (r.Float("min_p", 0, 1) is { } minP) options.AdditionalProperties[BaimoChatProperties.MinP] = minP;
        if (r.Float("repeat_penalty", float.Epsilon, 10) is { } rp) options.AdditionalProperties[BaimoChatProperties.RepeatPenalty] = rp;
        if (r.Bool("ignore_eos") is true) options.AdditionalProperties[BaimoChatProperties.IgnoreEos] = true;
    }
}

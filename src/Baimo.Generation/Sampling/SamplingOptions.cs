namespace Baimo.Generation;

/// <summary>
/// The sampler chain's settings, applied in llama.cpp's order: penalties → top-k → top-p → min-p →
/// temperature → draw. Temperature ≤ 0 is greedy (argmax after penalties). Defaults are llama.cpp's.
/// </summary>
public sealed record SamplingOptions
{
    public float Temperature { get; init; } = 0.8f;
    /// <summary>Keep the k most likely tokens; ≤ 0 disables.</summary>
    public int TopK { get; init; } = 40;
    /// <summary>Keep the smallest set whose probability reaches p; 1 disables.</summary>
    public float TopP { get; init; } = 0.95f;
    /// <summary>Drop tokens less likely than min_p × the most likely one; 0 disables.</summary>
    public float MinP { get; init; } = 0.05f;
    /// <summary>Divide positive logits (multiply negative ones) of recently seen tokens; 1 disables.</summary>
    public float RepeatPenalty { get; init; } = 1.0f;
    /// <summary>Subtract count × this from the logits of recently seen tokens; 0 disables.</summary>
    public float FrequencyPenalty { get; init; }
    /// <summary>Subtract this once from the logits of recently seen tokens; 0 disables.</summary>
    public float PresencePenalty { get; init; }
    /// <summary>How many recent tokens the penalties look at; -1 = the whole context.</summary>
    public int PenaltyLastN { get; init; } = 64;
    /// <summary>Seed of the random draw; the same seed and inputs give the same tokens. Null = random.</summary>
    public int? Seed { get; init; }

    public static SamplingOptions Greedy { get; } = new() { Temperature = 0 };

    /// <summary>Checks ranges; throws <see cref="ArgumentException"/> naming the setting.</summary>
    public void Validate()
    {
        if (float.IsNaN(Temperature) || Temperature < 0) throw new ArgumentException($"temperature must be ≥ 0 (got {Temperature})");
        if (float.IsNaN(TopP) || TopP <= 0 || TopP > 1) throw new ArgumentException($"top_p must be in (0, 1] (got {TopP})");
        if (float.IsNaN(MinP) || MinP < 0 || MinP > 1) throw new ArgumentException($"min_p must be in [0, 1] (got {MinP})");
        if (float.IsNaN(RepeatPenalty) || RepeatPenalty <= 0) throw new ArgumentException($"repeat penalty must be > 0 (got {RepeatPenalty})");
        if (!float.IsFinite(FrequencyPenalty) || !float.IsFinite(PresencePenalty)) throw new ArgumentException("penalties must be finite numbers");
        if (PenaltyLastN < -1) throw new ArgumentException($"penalty window must be ≥ -1 (got {PenaltyLastN})");
    }
}

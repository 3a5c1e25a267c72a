namespace Baimo.AI;

/// <summary>Settings of a <see cref="BaimoChatClient"/>.</summary>
public sealed record BaimoChatClientOptions
{
    /// <summary>The model's name in responses; default: the model file's name without extension.</summary>
    public string? ModelId { get; init; }
    /// <summary>Most tokens to generate when a request does not say; ≤ 0 = until the context is full.</summary>
    public int DefaultMaxTokens { get; init; }
    /// <summary>Ends a request that runs longer (finish reason length); null = no limit.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// Keys of <c>ChatOptions.AdditionalProperties</c> a <see cref="BaimoChatClient"/> understands beyond the
/// standard options.
/// </summary>
public static class BaimoChatProperties
{
    /// <summary>bool: report each token's log-probability (in the updates' raw <see cref="TokenEvent"/>s).</summary>
    public const string Logprobs = "logprobs";
    /// <summary>int 0–20: also report this many most likely alternatives per token.</summary>
    public const string TopLogprobs = "top_logprobs";
    /// <summary>float: min-p sampling threshold.</summary>
    public const string MinP = "min_p";
    /// <summary>float: repeat penalty (1 = off).</summary>
    public const string RepeatPenalty = "repeat_penalty";
    /// <summary>int: how many recent tokens the penalties see (−1 = all).</summary>
    public const string RepeatLastN = "repeat_last_n";
    /// <summary>bool: keep generating past end-of-generation tokens.</summary>
    public const string IgnoreEos = "ignore_eos";
}

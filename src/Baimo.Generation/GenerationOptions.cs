namespace Baimo.Generation;

/// <summary>What to generate and when to stop.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate; ≤ 0 means until the context is full.</summary>
    public int MaxTokens { get; init; } = 256;
    /// <summary>Stop when the text contains any of these (the stop string itself is not returned).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];
    /// <summary>Keep going past end-of-generation tokens.</summary>
    public bool IgnoreEndOfGeneration { get; init; }
    public SamplingOptions Sampling { get; init; } = new();
}

/// <summary>Why generation ended.</summary>
public enum FinishReason
{
    /// <summary>An end-of-generation token or a stop string.</summary>
    Stop,
    /// <summary>The token limit.</summary>
    Length,
    /// <summary>The context window filled up. Baimo does not silently drop old context; the caller decides.</summary>
    ContextFull,
    /// <summary>The caller cancelled.</summary>
    Cancelled,
}

/// <summary>One generated token and the text it completed (empty while a multi-byte character or a possible stop string is pending).</summary>
public readonly record struct GenerationChunk(int TokenId, string Text);

/// <summary>The outcome of a generation, with timings.</summary>
public sealed record GenerationResult
{
    public required int[] PromptIds { get; init; }
    public required int[] Ids { get; init; }
    public required string Text { get; init; }
    public required FinishReason FinishReason { get; init; }
    /// <summary>Prompt tokens actually evaluated (fewer than the prompt when a cached prefix was reused).</summary>
    public required int PromptEvaluated { get; init; }
    public required TimeSpan PromptTime { get; init; }
    public required TimeSpan GenerationTime { get; init; }

    public double PromptTokensPerSecond => PromptEvaluated / Math.Max(PromptTime.TotalSeconds, 1e-9);
    /// <summary>Tokens per second after the first (the first token's logits come from the prompt pass).</summary>
    public double GenerationTokensPerSecond => Ids.Length <= 1 ? 0 : (Ids.Length - 1) / Math.Max(GenerationTime.TotalSeconds, 1e-9);
}

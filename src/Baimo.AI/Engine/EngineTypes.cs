using Baimo.Generation;

namespace Baimo.AI;

/// <summary>How an <see cref="InferenceEngine"/> serves one model.</summary>
public sealed record EngineOptions
{
    /// <summary>Sequences decoded together (each with its own KV cache of <see cref="ContextLength"/>).</summary>
    public int Slots { get; init; } = 4;
    /// <summary>Context per slot, in tokens.</summary>
    public int ContextLength { get; init; } = 4096;
    /// <summary>CPU threads; 0 = one per core.</summary>
    public int Threads { get; init; }
    /// <summary>Requests that may wait for a slot; one more is refused with <see cref="EngineBusyException"/>.</summary>
    public int MaxQueue { get; init; } = 64;
    /// <summary>Most tokens in one forward pass (prompt chunks of several requests plus one token per generating slot).</summary>
    public int BatchTokens { get; init; } = 512;
}

/// <summary>One generation request: prompt tokens and how to continue them.</summary>
public sealed record CompletionRequest
{
    public required IReadOnlyList<int> Prompt { get; init; }
    public GenerationOptions Options { get; init; } = new();
    /// <summary>Report the log-probability of each chosen token.</summary>
    public bool Logprobs { get; init; }
    /// <summary>Also report this many most likely alternatives per position (0–20).</summary>
    public int TopLogprobs { get; init; }
    /// <summary>Constrained decoding (e.g. JSON); one instance per request.</summary>
    public ITokenConstraint? Constraint { get; init; }
    /// <summary>Ends the request (finish reason Cancelled) when it runs longer than this.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>A likely token at a position, with its log-probability.</summary>
public readonly record struct TopLogprob(int TokenId, string Text, float Logprob);

/// <summary>
/// One step of a streamed generation: a token (−1 when the event only carries final text) and the text it
/// completed. The last event of a request has <see cref="Finish"/> and <see cref="Usage"/> set.
/// </summary>
public readonly record struct TokenEvent(int TokenId, string Text, float Logprob, TopLogprob[]? TopLogprobs, FinishReason? Finish, CompletionUsage? Usage);

/// <summary>Token counts and timings of a finished request.</summary>
public sealed record CompletionUsage(int PromptTokens, int CachedPromptTokens, int CompletionTokens, TimeSpan TimeToFirstToken, TimeSpan Total);

/// <summary>The wait queue is full; try again later.</summary>
public sealed class EngineBusyException(int queueDepth, TimeSpan retryAfter)
    : Exception($"the server is busy: {queueDepth} requests are already waiting; retry in {retryAfter.TotalSeconds:F0} s")
{
    public int QueueDepth { get; } = queueDepth;
    public TimeSpan RetryAfter { get; } = retryAfter;
}

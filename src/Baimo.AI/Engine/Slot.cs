using System.Diagnostics;
using System.Threading.Channels;
using Baimo.Generation;

namespace Baimo.AI;

/// <summary>A request waiting for, or being served in, a slot.</summary>
internal sealed class Job(CompletionRequest request, CancellationToken cancellationToken)
{
    public CompletionRequest Request { get; } = request;
    public CancellationToken Cancellation { get; } = cancellationToken;
    public Channel<TokenEvent> Events { get; } = Channel.CreateUnbounded<TokenEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    public long Submitted { get; } = Stopwatch.GetTimestamp();
    public bool Expired => Request.Timeout is { } t && Stopwatch.GetElapsedTime(Submitted) > t;
}

/// <summary>
/// One sequence of the batch: its job, what is in its KV cache (kept after a job ends, so a later request
/// with the same prefix — the next turn of a chat — skips evaluating it), and its generation state.
/// </summary>
internal sealed class Slot(int index)
{
    public int Index { get; } = index;
    public List<int> Cached { get; } = [];   // token ids whose keys/values are in this slot's cache
    public Job? Job;
    public SequenceGenerator? Generator;
    public int[] Pending = [];               // prompt tokens still to evaluate
    public int PendingAt;
    public int NextToken = -1;               // sampled token still to evaluate, or −1
    public int CachedPromptTokens;
    public int Generated;
    public long FirstTokenAt;

    public bool Busy => Job != null;
    public bool Prefilling => Job != null && PendingAt < Pending.Length;
}

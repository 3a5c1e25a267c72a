using System.Runtime.CompilerServices;
using Baimo.AI;
using Baimo.Server.Metrics;
using Microsoft.Extensions.AI;

namespace Baimo.Server.Replies;

/// <summary>
/// A reply being generated. <see cref="StartAsync"/> waits for its first piece, so a request the engine
/// refuses (queue full, context overflow, bad options) fails before any response is written and gets its
/// proper status code. Finished generations are recorded in the metrics.
/// </summary>
public sealed class ReplyStream : IAsyncDisposable
{
    private readonly IAsyncEnumerator<ReplyPiece> _source;
    private readonly ServerMetrics _metrics;
    private bool _primed;

    private ReplyStream(IAsyncEnumerator<ReplyPiece> source, ServerMetrics metrics)
    {
        _source = source;
        _metrics = metrics;
    }

    public static async Task<ReplyStream> StartAsync(IAsyncEnumerable<ReplyPiece> pieces, ServerMetrics metrics, CancellationToken ct)
    {
        var e = pieces.GetAsyncEnumerator(ct);
        try
        {
            var stream = new ReplyStream(e, metrics);
            stream._primed = await e.MoveNextAsync();
            return stream;
        }
        catch
        {
            await e.DisposeAsync();
            throw;
        }
    }

    public async IAsyncEnumerable<ReplyPiece> ReadAllAsync()
    {
        for (bool has = _primed; has; has = await _source.MoveNextAsync())
        {
            var piece = _source.Current;
            if (piece.Usage is { } usage) _metrics.RecordGeneration(usage);
            yield return piece;
            if (piece.IsLast) yield break;
        }
    }

    /// <summary>Pieces from the chat client: text, tool calls and the raw token events of each update.</summary>
    public static async IAsyncEnumerable<ReplyPiece> FromChat(IChatClient client, IList<ChatMessage> messages, ChatOptions options,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var u in client.GetStreamingResponseAsync(messages, options, ct))
        {
            var events = u.RawRepresentation as TokenEvent[] ?? [];
            var last = events.Length > 0 ? events[^1] : default;
            yield return new ReplyPiece(u.Text, events)
            {
                ToolCalls = [.. u.Contents.OfType<FunctionCallContent>()],
                Finish = u.FinishReason is null ? null : last.Finish ?? Baimo.Generation.FinishReason.Stop,
                ToolCallsFinish = u.FinishReason == ChatFinishReason.ToolCalls,
                Usage = u.FinishReason is null ? null : last.Usage,
            };
        }
    }

    /// <summary>Pieces straight from the engine, one per token (raw completions).</summary>
    public static async IAsyncEnumerable<ReplyPiece> FromEngine(InferenceEngine engine, CompletionRequest request,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var events = engine.Submit(request, ct);
        await foreach (var e in events.ReadAllAsync(ct))
            yield return new ReplyPiece(e.Text, [e]) { Finish = e.Finish, Usage = e.Usage };
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}

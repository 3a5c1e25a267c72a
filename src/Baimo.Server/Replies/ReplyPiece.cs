using Baimo.AI;
using Baimo.Generation;
using Microsoft.Extensions.AI;

namespace Baimo.Server.Replies;

/// <summary>
/// A piece of a generated reply, whichever way it was produced (the chat client or a raw completion): its
/// text, the token events behind it (log-probabilities), tool calls, and — on the last piece — why it ended
/// and the usage.
/// </summary>
public sealed record ReplyPiece(string Text, IReadOnlyList<TokenEvent> Events)
{
    public IReadOnlyList<FunctionCallContent> ToolCalls { get; init; } = [];
    /// <summary>Set on the last piece.</summary>
    public FinishReason? Finish { get; init; }
    public bool ToolCallsFinish { get; init; }
    public CompletionUsage? Usage { get; init; }

    public bool IsLast => Finish is not null;

    /// <summary>OpenAI's finish_reason: stop, length (also for a full context or the time limit) or tool_calls.</summary>
    public string OpenAiFinishReason => ToolCallsFinish ? "tool_calls" : Finish == FinishReason.Stop ? "stop" : "length";

    /// <summary>Ollama's done_reason.</summary>
    public string OllamaDoneReason => Finish switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Cancelled => "timeout",
        _ => "length",
    };
}

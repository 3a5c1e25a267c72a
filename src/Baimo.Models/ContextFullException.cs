namespace Baimo.Models;

/// <summary>The tokens to evaluate do not fit in the session's context window.</summary>
public sealed class ContextFullException(int contextLength, int position, int tokens)
    : InvalidOperationException($"the context is full: {position} of {contextLength} positions are used and {tokens} more were given (start a new conversation or use a longer context)")
{
    public int ContextLength { get; } = contextLength;
    public int Position { get; } = position;
    public int Tokens { get; } = tokens;
}

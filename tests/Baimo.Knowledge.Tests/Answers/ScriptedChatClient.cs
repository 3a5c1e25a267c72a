using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Baimo.Knowledge.Tests.Answers;

/// <summary>A chat model that streams a fixed answer in small pieces and records the prompt it got.</summary>
public sealed class ScriptedChatClient(string answer, int pieceLength = 3) : IChatClient
{
    public List<List<ChatMessage>> Calls { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(messages.ToList());
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Add(messages.ToList());
        // Small pieces split citations across updates, as real token streams do.
        for (int i = 0; i < answer.Length; i += pieceLength)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, answer.Substring(i, Math.Min(pieceLength, answer.Length - i)));
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() { }
}

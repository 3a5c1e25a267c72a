using System.Diagnostics;
using Baimo.Models;

namespace Baimo.Generation;

/// <summary>
/// The generation loop over a <see cref="DecoderSession"/>: evaluates the prompt as one batch (reusing the
/// longest prefix already in the session's cache), then samples, streams text and stops on
/// end-of-generation tokens, stop strings, the token limit, a full context or cancellation.
/// </summary>
public sealed class TextGenerator(DecoderSession session)
{
    private readonly List<int> _cached = []; // the token ids whose keys/values are in the session's cache
    private readonly float[] _logits = new float[session.VocabSize];

    public DecoderSession Session { get; } = session;

    /// <summary>Tokens currently held in the cache, in order.</summary>
    public IReadOnlyList<int> CachedTokens => _cached;

    /// <summary>Forgets the cached conversation.</summary>
    public void Reset()
    {
        _cached.Clear();
        Session.Reset();
    }

    /// <summary>Generates, calling <paramref name="onText"/> with each piece of text as it becomes final.</summary>
    public GenerationResult Generate(IReadOnlyList<int> prompt, GenerationOptions options, Action<GenerationChunk>? onText = null,
        CancellationToken cancellationToken = default, ITokenConstraint? constraint = null)
    {
        if (prompt.Count == 0) throw new ArgumentException("the prompt has no tokens (nothing to continue from)");
        if (prompt.Count >= Session.ContextLength)
            throw new ContextFullException(Session.ContextLength, 0, prompt.Count);
        var seq = new SequenceGenerator(Session.Model.Tokenizer, prompt, options, constraint);

        var sw = Stopwatch.StartNew();
        int evaluated = EvaluatePrompt(prompt);
        var promptTime = sw.Elapsed;
        sw.Restart();

        while (true)
        {
            var step = cancellationToken.IsCancellationRequested ? seq.End(FinishReason.Cancelled) : seq.Step(_logits);
            if (step.Text.Length > 0 || step.TokenId >= 0) onText?.Invoke(new GenerationChunk(step.TokenId, step.Text));
            if (step.Finish is not null) break;
            if (Session.Position >= Session.ContextLength)
            {
                var end = seq.End(FinishReason.ContextFull);
                if (end.Text.Length > 0) onText?.Invoke(new GenerationChunk(-1, end.Text));
                break;
            }
            Session.Evaluate([step.TokenId], _logits);
            _cached.Add(step.TokenId);
        }
        return new GenerationResult
        {
            PromptIds = [.. prompt],
            Ids = [.. seq.Ids],
            Text = seq.Text,
            FinishReason = seq.Finish!.Value,
            PromptEvaluated = evaluated,
            PromptTime = promptTime,
            GenerationTime = sw.Elapsed,
        };
    }

    /// <summary>Brings the cache to exactly <paramref name="prompt"/> and leaves the last position's logits in the buffer.</summary>
    private int EvaluatePrompt(IReadOnlyList<int> prompt)
    {
        int common = PrefixCache.CommonPrefix(_cached, prompt);
        Session.Rewind(common);
        _cached.RemoveRange(common, _cached.Count - common);
        var rest = new int[prompt.Count - common];
        for (int i = 0; i < rest.Length; i++) rest[i] = prompt[common + i];
        Session.Evaluate(rest, _logits);
        _cached.AddRange(rest);
        return rest.Length;
    }
}

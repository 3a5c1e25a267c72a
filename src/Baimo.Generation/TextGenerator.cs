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
        CancellationToken cancellationToken = default)
    {
        if (prompt.Count == 0) throw new ArgumentException("the prompt has no tokens (nothing to continue from)");
        options.Sampling.Validate();
        if (prompt.Count >= Session.ContextLength)
            throw new ContextFullException(Session.ContextLength, 0, prompt.Count);

        var tokenizer = Session.Model.Tokenizer;
        var sampler = new Sampler(options.Sampling, Session.VocabSize);
        var detok = tokenizer.CreateIncrementalDetokenizer();
        var stops = new StopMatcher(options.Stop);
        var text = new System.Text.StringBuilder();
        var ids = new List<int>();
        var history = new List<int>(prompt);

        var sw = Stopwatch.StartNew();
        int evaluated = EvaluatePrompt(prompt);
        var promptTime = sw.Elapsed;
        sw.Restart();

        var finish = FinishReason.Length;
        int limit = options.MaxTokens > 0 ? options.MaxTokens : int.MaxValue;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) { finish = FinishReason.Cancelled; break; }
            if (ids.Count >= limit) { finish = FinishReason.Length; break; }
            int next = sampler.Sample(_logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history));
            if (!options.IgnoreEndOfGeneration && tokenizer.IsEndOfGeneration(next)) { finish = FinishReason.Stop; break; }
            ids.Add(next);
            history.Add(next);
            var piece = stops.Push(detok.Append(next));
            if (piece.Length > 0) text.Append(piece);
            onText?.Invoke(new GenerationChunk(next, piece));
            if (stops.Stopped) { finish = FinishReason.Stop; break; }
            if (ids.Count >= limit) { finish = FinishReason.Length; break; }
            if (Session.Position >= Session.ContextLength) { finish = FinishReason.ContextFull; break; }
            Session.Evaluate([next], _logits);
            _cached.Add(next);
        }
        var tail = stops.Push(detok.Flush()) + stops.Flush();
        if (tail.Length > 0)
        {
            text.Append(tail);
            onText?.Invoke(new GenerationChunk(-1, tail));
        }
        return new GenerationResult
        {
            PromptIds = [.. prompt],
            Ids = [.. ids],
            Text = text.ToString(),
            FinishReason = finish,
            PromptEvaluated = evaluated,
            PromptTime = promptTime,
            GenerationTime = sw.Elapsed,
        };
    }

    /// <summary>Brings the cache to exactly <paramref name="prompt"/> and leaves the last position's logits in the buffer.</summary>
    private int EvaluatePrompt(IReadOnlyList<int> prompt)
    {
        int common = 0;
        while (common < _cached.Count && common < prompt.Count && _cached[common] == prompt[common]) common++;
        // The last prompt token must be evaluated again to produce its logits.
        if (common == prompt.Count) common--;
        Session.Rewind(common);
        _cached.RemoveRange(common, _cached.Count - common);
        var rest = new int[prompt.Count - common];
        for (int i = 0; i < rest.Length; i++) rest[i] = prompt[common + i];
        Session.Evaluate(rest, _logits);
        _cached.AddRange(rest);
        return rest.Length;
    }
}

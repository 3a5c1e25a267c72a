using Baimo.Tokenizers;

namespace Baimo.Generation;

/// <summary>What one step of a <see cref="SequenceGenerator"/> produced.</summary>
public readonly record struct StepResult(int TokenId, string Text, float Logprob, FinishReason? Finish);

/// <summary>
/// The per-sequence half of generation, independent of how logits are computed: sampling (with penalties
/// over the history and an optional constraint), incremental detokenization, stop strings, the token limit
/// and end-of-generation tokens. The single-session loop and the multi-sequence server scheduler both drive it.
/// </summary>
public sealed class SequenceGenerator
{
    private readonly Tokenizer _tokenizer;
    private readonly GenerationOptions _options;
    private readonly Sampler _sampler;
    private readonly IncrementalDetokenizer _detok;
    private readonly StopMatcher _stops;
    private readonly List<int> _history;
    private readonly List<int> _ids = [];
    private readonly System.Text.StringBuilder _text = new();

    public SequenceGenerator(Tokenizer tokenizer, IReadOnlyList<int> prompt, GenerationOptions options, ITokenConstraint? constraint = null)
    {
        options.Sampling.Validate();
        _tokenizer = tokenizer;
        _options = options;
        Constraint = constraint;
        _sampler = new Sampler(options.Sampling, tokenizer.VocabSize);
        _detok = tokenizer.CreateIncrementalDetokenizer();
        _stops = new StopMatcher(options.Stop);
        _history = new List<int>(prompt);
    }

    public ITokenConstraint? Constraint { get; }
    public IReadOnlyList<int> Ids => _ids;
    public string Text => _text.ToString();
    public FinishReason? Finish { get; private set; }

    /// <summary>
    /// Chooses the next token from the logits of the last position (which it may modify) and returns it with
    /// the text it completed. When the result has a <see cref="StepResult.Finish"/>, the sequence is over and
    /// the token (if ≥ 0) must not be evaluated; otherwise the caller evaluates the token and calls again.
    /// </summary>
    public StepResult Step(Span<float> logits)
    {
        if (Finish is { } done) return new StepResult(-1, "", 0, done);
        if (_options.MaxTokens > 0 && _ids.Count >= _options.MaxTokens) return End(FinishReason.Length);
        Constraint?.Mask(logits);
        int next = _sampler.Sample(logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_history));
        float logprob = (float)Perplexity.LogSoftmax(logits, next);
        if (!_options.IgnoreEndOfGeneration && _tokenizer.IsEndOfGeneration(next)) return End(FinishReason.Stop);
        _ids.Add(next);
        _history.Add(next);
        Constraint?.Accept(next);
        var piece = _stops.Push(_detok.Append(next));
        _text.Append(piece);
        FinishReason? finish = _stops.Stopped || Constraint is { IsComplete: true } ? FinishReason.Stop
            : _options.MaxTokens > 0 && _ids.Count >= _options.MaxTokens ? FinishReason.Length : null;
        if (finish is { } f)
        {
            var tail = Flush();
            Finish = f;
            return new StepResult(next, piece + tail, logprob, f);
        }
        return new StepResult(next, piece, logprob, null);
    }

    /// <summary>Ends the sequence from outside (cancellation, full context) and returns any held-back text.</summary>
    public StepResult End(FinishReason reason)
    {
        if (Finish is { } done) return new StepResult(-1, "", 0, done);
        var tail = Flush();
        Finish = reason;
        return new StepResult(-1, tail, 0, reason);
    }

    private string Flush()
    {
        var tail = _stops.Push(_detok.Flush()) + _stops.Flush();
        _text.Append(tail);
        return tail;
    }
}

namespace Baimo.Models;

/// <summary>
/// One conversation's state over a <see cref="DecoderModel"/>: a single-sequence <see cref="DecoderBatch"/>
/// with the position bookkeeping a generation loop needs. Not thread-safe: one caller at a time.
/// </summary>
public sealed class DecoderSession : IDisposable
{
    private readonly DecoderBatch _batch;
    private readonly int[] _seq;      // [maxBatch] all zero: every token belongs to sequence 0
    private readonly bool[] _want;    // [maxBatch] which rows' logits to compute

    internal DecoderSession(DecoderModel model, int contextLength, int threads, int maxBatch)
    {
        _batch = new DecoderBatch(model, 1, contextLength, threads, Math.Max(1, Math.Min(maxBatch, contextLength)));
        _seq = new int[_batch.MaxBatch];
        _want = new bool[_batch.MaxBatch];
    }

    public DecoderModel Model => _batch.Model;
    public int ContextLength => _batch.ContextLength;
    /// <summary>Number of positions filled in the KV cache (the next token's position).</summary>
    public int Position => _batch.Length(0);
    public int VocabSize => _batch.VocabSize;
    public int Threads => _batch.Threads;
    public long KvCacheBytes => _batch.KvCacheBytes;
    public IActivationObserver? Observer { get => _batch.Observer; set => _batch.Observer = value; }

    /// <summary>Forgets everything: the next token goes to position 0.</summary>
    public void Reset() => _batch.Truncate(0, 0);

    /// <summary>Drops positions from <paramref name="position"/> on, keeping the cached prefix before it.</summary>
    public void Rewind(int position) => _batch.Truncate(0, position);

    /// <summary>
    /// Evaluates tokens at the current position (in batches of at most the planned batch size) and
    /// advances. With <paramref name="allLogits"/>, <paramref name="logits"/> receives [tokens][vocab]
    /// (row p = distribution of the token after token p); otherwise [vocab] for the last token.
    /// </summary>
    /// <exception cref="ContextFullException">The tokens do not fit in the remaining context; nothing is evaluated.</exception>
    public void Evaluate(ReadOnlySpan<int> tokens, Span<float> logits, bool allLogits = false)
    {
        int vocab = VocabSize;
        if (tokens.Length == 0) throw new ArgumentException("no tokens to evaluate", nameof(tokens));
        if (Position + tokens.Length > ContextLength)
            throw new ContextFullException(ContextLength, Position, tokens.Length);
        if (logits.Length < (allLogits ? (long)tokens.Length * vocab : vocab))
            throw new ArgumentException($"logits buffer holds {logits.Length} floats; {(allLogits ? tokens.Length : 1)} × {vocab} needed", nameof(logits));
        foreach (var id in tokens)
            if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {id} is outside the vocabulary (0..{vocab - 1})");
        for (int done = 0; done < tokens.Length;)
        {
            int n = Math.Min(_batch.MaxBatch, tokens.Length - done);
            bool last = done + n == tokens.Length;
            var want = _want.AsSpan(0, n);
            want.Fill(allLogits);
            if (!allLogits && last) want[^1] = true;
            var dst = allLogits ? logits.Slice(done * vocab, n * vocab) : logits[..vocab];
            _batch.Decode(tokens.Slice(done, n), _seq.AsSpan(0, n), want, dst);
            done += n;
        }
    }

    /// <summary>Evaluates tokens and returns the last token's logits [vocab] in a new array.</summary>
    public float[] Evaluate(ReadOnlySpan<int> tokens)
    {
        var logits = new float[VocabSize];
        Evaluate(tokens, logits);
        return logits;
    }

    public void Dispose() => _batch.Dispose();
}

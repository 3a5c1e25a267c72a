using Baimo.Models;

namespace Baimo.Generation;

/// <summary>The outcome of a perplexity run: the final value, its standard error and the running value after each chunk.</summary>
public sealed record PerplexityResult(double Value, double StandardError, int Chunks, int ContextLength, int TokensScored, double[] RunningAfterChunk);

/// <summary>
/// Perplexity computed the way llama-perplexity computes it: the text is tokenized once (with BOS); chunk c
/// is tokens [c·n, c·n + n) with its first token replaced by BOS and evaluated alone in one batch; only the
/// second half of each chunk is scored (token j+1 from the logits at j for j = n/2 … n−2); PPL = exp(mean NLL),
/// with the log-softmax summed in double.
/// </summary>
public static class Perplexity
{
    public static PerplexityResult Compute(DecoderModel model, string text, int contextLength, int threads = 0,
        Action<int, double>? onChunk = null, CancellationToken cancellationToken = default)
    {
        var tok = model.Tokenizer;
        var tokens = tok.Encode(text, addSpecial: true);
        int n = contextLength;
        if (n < 4) throw new ArgumentException($"the context must be at least 4 tokens (got {n})");
        if (tokens.Length < 2 * n)
            throw new ArgumentException($"the text has {tokens.Length} tokens; at least 2 × context = {2 * n} are needed");
        int chunks = tokens.Length / n;
        int first = n / 2;
        int vocab = model.Config.VocabSize;
        using var session = model.CreateSession(contextLength: n, threads: threads, maxBatch: n);
        var logits = new float[(long)n * vocab];
        var chunk = new int[n];
        double nll = 0, nll2 = 0;
        int count = 0;
        var running = new double[chunks];
        for (int c = 0; c < chunks; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Copy(tokens, c * n, chunk, 0, n);
            if (tok.AddBos && tok.BosId >= 0) chunk[0] = tok.BosId;
            session.Reset();
            session.Evaluate(chunk, logits, allLogits: true);
            for (int j = first; j < n - 1; j++)
            {
                double lp = LogSoftmax(logits.AsSpan(j * vocab, vocab), chunk[j + 1]);
                nll -= lp;
                nll2 += lp * lp;
                count++;
            }
            running[c] = Math.Exp(nll / count);
            onChunk?.Invoke(c, running[c]);
        }
        double mean = nll / count;
        double variance = nll2 / count - mean * mean;
        double ppl = Math.Exp(mean);
        double err = variance > 0 ? ppl * Math.Sqrt(variance / (count - 1)) : 0;
        return new PerplexityResult(ppl, err, chunks, n, count, running);
    }

    /// <summary>log p(token) under the softmax of the row: max-shifted, exp in float, sum in double.</summary>
    public static double LogSoftmax(ReadOnlySpan<float> row, int token)
    {
        float max = row[0];
        for (int i = 1; i < row.Length; i++) max = Math.Max(max, row[i]);
        double sum = 0;
        for (int i = 0; i < row.Length; i++) sum += MathF.Exp(row[i] - max);
        return row[token] - max - Math.Log(sum);
    }
}

using Baimo.Tokenizers;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>
/// Drives a constraint the way the sampler does (Mask, pick, Accept) with a seeded random choice among the
/// allowed tokens. Uniform choice would rarely close a string in a 150k vocabulary, so the walk leans more and
/// more towards tokens that close something as it goes on; every choice is still an allowed token.
/// </summary>
internal static class RandomWalk
{
    public sealed record Result(string Text, bool Complete, int Tokens, bool EndedByEndToken);

    // Per vocabulary: which tokens count as closing something (computed once; decoding every piece each step
    // would dominate the test time).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tokenizer, bool[]> ClosingCache = new();

    public static Result Run(Tokenizer tokenizer, ITokenConstraint constraint, int seed, int maxTokens = 300)
    {
        var closes = ClosingCache.GetValue(tokenizer, t =>
            [.. Enumerable.Range(0, t.VocabSize).Select(id => t.IsEndOfGeneration(id) || Closes(t.TokenToPiece(id)))]);
        var rng = new Random(seed);
        var logits = new float[tokenizer.VocabSize];
        var bytes = new List<byte>();
        var allowed = new List<int>();
        var closing = new List<int>();
        int step = 0;
        for (; step < maxTokens && !constraint.IsComplete; step++)
        {
            Array.Clear(logits);
            constraint.Mask(logits);
            allowed.Clear();
            closing.Clear();
            for (int id = 0; id < logits.Length; id++)
            {
                if (float.IsNegativeInfinity(logits[id])) continue;
                allowed.Add(id);
                if (closes[id]) closing.Add(id);
            }
            if (allowed.Count == 0) throw new InvalidOperationException($"no token allowed after {step} tokens: {Text(bytes)}");
            double lean = 0.25 + 0.75 * step / maxTokens;
            var pool = closing.Count > 0 && rng.NextDouble() < lean ? closing : allowed;
            int pick = pool[rng.Next(pool.Count)];
            if (tokenizer.IsEndOfGeneration(pick)) return new Result(Text(bytes), true, step, true);
            constraint.Accept(pick);
            bytes.AddRange(tokenizer.TokenToPiece(pick));
        }
        return new Result(Text(bytes), constraint.IsComplete, step, false);
    }

    private static bool Closes(byte[] piece) =>
        piece.AsSpan().IndexOfAny((byte)'}', (byte)']') >= 0 ||
        (piece.AsSpan().Contains((byte)'"') && piece.AsSpan().IndexOfAny((byte)'{', (byte)'[') < 0);

    private static string Text(List<byte> bytes) => System.Text.Encoding.UTF8.GetString([.. bytes]);
}

using Baimo.Testing;

namespace Baimo.Models.Tests;

/// <summary>Several sequences decoded together give what each gives alone (continuous batching is exact).</summary>
public class DecoderBatchTests
{
    [Theory]
    [InlineData("models/stories260K.gguf", 1e-10)]
    [InlineData("models/synth-llama/synth-llama-Q4_0.gguf", 1e-10)]
    [InlineData("models/synth-qwen2/synth-qwen2-Q8_0.gguf", 1e-10)]
    public void InterleavedSequencesMatchSeparateSessions(string model, double budget)
    {
        using var m = ModelRegistry.LoadDecoder(Oracle.Path(model.Split('/')));
        int vocab = m.Config.VocabSize;
        int[][] prompts = [[1, 403, 407, 261, 378], [1, 300, 301], [1, 450, 451, 452, 453, 454, 455]];
        int[] next = [432, 310, 260];

        // Alone: each prompt, then one more token.
        var alone = new float[3][];
        for (int s = 0; s < 3; s++)
        {
            using var session = m.CreateSession(64, 2);
            session.Evaluate(prompts[s]);
            alone[s] = session.Evaluate([next[s]]);
        }

        // Together: the three prompts in one pass, then the three next tokens in one pass.
        using var batch = new DecoderBatch(m, 3, 64, 2, 32);
        var tokens = prompts.SelectMany(p => p).ToArray();
        var seqs = prompts.SelectMany((p, s) => Enumerable.Repeat(s, p.Length)).ToArray();
        batch.Decode(tokens, seqs, new bool[tokens.Length], []);
        Assert.Equal([5, 3, 7], Enumerable.Range(0, 3).Select(batch.Length));
        var logits = new float[3 * vocab];
        batch.Decode(next, [0, 1, 2], [true, true, true], logits);
        for (int s = 0; s < 3; s++)
        {
            double nmse = Metrics.Nmse(logits.AsSpan(s * vocab, vocab), alone[s]);
            Assert.True(nmse < budget, $"sequence {s}: NMSE {nmse:E2}");
        }
    }

    [Fact]
    public void TruncateAndContextLimitsArePerSequence()
    {
        using var m = ModelRegistry.LoadDecoder(Oracle.Path("models", "stories260K.gguf"));
        using var batch = new DecoderBatch(m, 2, 4, 1, 8);
        batch.Decode([1, 2, 3, 4], [0, 0, 0, 1], new bool[4], []);
        Assert.Throws<ContextFullException>(() => batch.Decode([5, 6], [0, 0], new bool[2], []));
        Assert.Equal(3, batch.Length(0));
        batch.Truncate(0, 1);
        batch.Decode([5, 6], [0, 0], new bool[2], []);
        Assert.Equal(3, batch.Length(0));
        Assert.Equal(1, batch.Length(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Decode([1], [2], [false], []));
    }
}

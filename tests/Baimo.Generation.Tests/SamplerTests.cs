namespace Baimo.Generation.Tests;

public class SamplerTests
{
    private static float[] Logits(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 6 - 3)).ToArray();
    }

    [Fact]
    public void TemperatureZeroIsArgmaxWithLowestIdWinningTies()
    {
        var s = new Sampler(SamplingOptions.Greedy, 5);
        Assert.Equal(2, s.Sample([0f, 1f, 3f, 3f, -1f], []));
    }

    [Fact]
    public void SameSeedSameTokensDifferentSeedDifferentTokens()
    {
        var logits = Logits(1000, 1);
        var o = new SamplingOptions { Temperature = 1.5f, TopK = 0, TopP = 1, MinP = 0, Seed = 42 };
        int[] Draw(SamplingOptions opts)
        {
            var s = new Sampler(opts, logits.Length);
            return Enumerable.Range(0, 50).Select(_ => s.Sample(logits, [])).ToArray();
        }
        Assert.Equal(Draw(o), Draw(o));
        Assert.NotEqual(Draw(o), Draw(o with { Seed = 43 }));
        Assert.True(Draw(o).Distinct().Count() > 10, "a hot temperature over a flat distribution draws many tokens");
    }

    [Fact]
    public void TopKOneIsGreedyAndTopKLimitsTheDraw()
    {
        var logits = Logits(500, 2);
        int argmax = Sampler.Argmax(logits);
        var one = new Sampler(new SamplingOptions { Temperature = 5, TopK = 1, Seed = 1 }, 500);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(argmax, one.Sample(logits, [])));

        var top5 = logits.Select((v, i) => (v, i)).OrderByDescending(p => p.v).Take(5).Select(p => p.i).ToHashSet();
        var k5 = new Sampler(new SamplingOptions { Temperature = 5, TopK = 5, TopP = 1, MinP = 0, Seed = 1 }, 500);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.Contains(k5.Sample(logits, []), top5));
    }

    [Fact]
    public void MinPAndTopPCutTheTail()
    {
        // Token 0 has almost all the mass; min-p 0.5 and top-p 0.5 both leave only it.
        float[] logits = [10f, 2f, 1f, 0f, -1f];
        foreach (var o in new[] { new SamplingOptions { Temperature = 1, TopK = 0, TopP = 1, MinP = 0.5f, Seed = 3 },
                                  new SamplingOptions { Temperature = 1, TopK = 0, TopP = 0.5f, MinP = 0, Seed = 3 } })
        {
            var s = new Sampler(o, 5);
            Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(0, s.Sample(logits, [])));
        }
    }

    [Fact]
    public void RepeatPresenceAndFrequencyPenaltiesDemoteSeenTokens()
    {
        float[] logits = [2.0f, 1.9f, 0f];
        Assert.Equal(1, new Sampler(SamplingOptions.Greedy with { RepeatPenalty = 1.2f }, 3).Sample(logits, [0]));
        Assert.Equal(1, new Sampler(SamplingOptions.Greedy with { PresencePenalty = 0.2f }, 3).Sample(logits, [0]));
        Assert.Equal(0, new Sampler(SamplingOptions.Greedy with { FrequencyPenalty = 0.05f }, 3).Sample(logits, [0]));
        Assert.Equal(1, new Sampler(SamplingOptions.Greedy with { FrequencyPenalty = 0.05f }, 3).Sample(logits, [0, 0, 0]));
        // Outside the window the penalty does not apply.
        Assert.Equal(0, new Sampler(SamplingOptions.Greedy with { RepeatPenalty = 2f, PenaltyLastN = 1 }, 3).Sample(logits, [0, 2]));
    }

    [Theory]
    [InlineData(-1f, 40, 0.9f, 0.05f, 1f)]
    [InlineData(0.8f, 40, 0f, 0.05f, 1f)]
    [InlineData(0.8f, 40, 1.5f, 0.05f, 1f)]
    [InlineData(0.8f, 40, 0.9f, -0.1f, 1f)]
    [InlineData(0.8f, 40, 0.9f, 0.05f, 0f)]
    [InlineData(float.NaN, 40, 0.9f, 0.05f, 1f)]
    public void InvalidSettingsAreRejected(float temp, int k, float p, float minP, float repeat) =>
        Assert.Throws<ArgumentException>(() => new Sampler(new SamplingOptions { Temperature = temp, TopK = k, TopP = p, MinP = minP, RepeatPenalty = repeat }, 10));
}

using System.Text.Json;
using Baimo.Models;
using Baimo.Testing;

namespace Baimo.Generation.Tests;

public class TextGeneratorTests
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");

    private static (string Prompt, int[] Greedy, string Text) Reference()
    {
        var j = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "stories260K.ref.json"))).RootElement;
        var g = j.GetProperty("greedy");
        return (j.GetProperty("prompt").GetString()!, g.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(), g.GetProperty("text").GetString()!);
    }

    [Fact]
    public void GreedyGenerationStreamsTheReferenceText()
    {
        var (prompt, greedy, text) = Reference();
        using var m = ModelRegistry.LoadDecoder(Stories);
        using var s = m.CreateSession(256, 2);
        var streamed = new System.Text.StringBuilder();
        var r = new TextGenerator(s).Generate(m.Tokenizer.Encode(prompt), new GenerationOptions { MaxTokens = 50, Sampling = SamplingOptions.Greedy },
            c => streamed.Append(c.Text));
        Assert.Equal(greedy, r.Ids);
        Assert.Equal(text, r.Text);
        Assert.Equal(text, streamed.ToString());
        Assert.Equal(FinishReason.Length, r.FinishReason);
        Assert.True(r.GenerationTokensPerSecond > 0 && r.PromptTokensPerSecond > 0);
    }

    [Fact]
    public void StopStringEndsGenerationAndIsNotReturned()
    {
        var (prompt, _, text) = Reference();
        using var m = ModelRegistry.LoadDecoder(Stories);
        using var s = m.CreateSession(256, 2);
        var r = new TextGenerator(s).Generate(m.Tokenizer.Encode(prompt),
            new GenerationOptions { MaxTokens = 50, Stop = ["Lily"], Sampling = SamplingOptions.Greedy });
        Assert.Equal(FinishReason.Stop, r.FinishReason);
        Assert.Equal(text[..text.IndexOf("Lily", StringComparison.Ordinal)], r.Text);
    }

    [Fact]
    public void SameSeedGivesTheSameSampledText()
    {
        using var m = ModelRegistry.LoadDecoder(Stories);
        string Sample(int seed)
        {
            using var s = m.CreateSession(256, 2);
            return new TextGenerator(s).Generate(m.Tokenizer.Encode("Once upon a time"),
                new GenerationOptions { MaxTokens = 40, Sampling = new SamplingOptions { Temperature = 1.0f, Seed = seed } }).Text;
        }
        Assert.Equal(Sample(7), Sample(7));
        Assert.NotEqual(Sample(7), Sample(8));
    }

    [Fact]
    public void ACachedPrefixIsReusedAndGivesTheSameResult()
    {
        using var m = ModelRegistry.LoadDecoder(Stories);
        using var s = m.CreateSession(256, 2);
        var g = new TextGenerator(s);
        var first = m.Tokenizer.Encode("Once upon a time");
        var r1 = g.Generate(first, new GenerationOptions { MaxTokens = 10, Sampling = SamplingOptions.Greedy });
        Assert.Equal(first.Length, r1.PromptEvaluated);
        // The next prompt extends the conversation: only the new tokens are evaluated.
        var second = first.Concat(r1.Ids).Concat(m.Tokenizer.Encode(" The end", addSpecial: false)).ToArray();
        var r2 = g.Generate(second, new GenerationOptions { MaxTokens = 10, Sampling = SamplingOptions.Greedy });
        Assert.True(r2.PromptEvaluated < second.Length, $"evaluated {r2.PromptEvaluated} of {second.Length}");
        using var fresh = m.CreateSession(256, 2);
        var r3 = new TextGenerator(fresh).Generate(second, new GenerationOptions { MaxTokens = 10, Sampling = SamplingOptions.Greedy });
        Assert.Equal(r3.Ids, r2.Ids);
    }

    [Fact]
    public void AFullContextEndsGenerationAndAnOversizedPromptIsAnError()
    {
        using var m = ModelRegistry.LoadDecoder(Stories);
        using var s = m.CreateSession(contextLength: 16, threads: 2);
        var g = new TextGenerator(s);
        var r = g.Generate(m.Tokenizer.Encode("Once upon a time"), new GenerationOptions { MaxTokens = 100, Sampling = SamplingOptions.Greedy });
        Assert.Equal(FinishReason.ContextFull, r.FinishReason);
        Assert.Equal(16, s.Position);
        Assert.Throws<ContextFullException>(() => g.Generate(Enumerable.Repeat(300, 20).ToArray(), new GenerationOptions()));
    }

    [Fact]
    public void CancellationStopsGeneration()
    {
        using var m = ModelRegistry.LoadDecoder(Stories);
        using var s = m.CreateSession(256, 2);
        using var cts = new CancellationTokenSource();
        int seen = 0;
        var r = new TextGenerator(s).Generate(m.Tokenizer.Encode("Once"), new GenerationOptions { MaxTokens = 100, Sampling = SamplingOptions.Greedy },
            _ => { if (++seen == 5) cts.Cancel(); }, cts.Token);
        Assert.Equal(FinishReason.Cancelled, r.FinishReason);
        Assert.Equal(5, r.Ids.Length);
    }
}

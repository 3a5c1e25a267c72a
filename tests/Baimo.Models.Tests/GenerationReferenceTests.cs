using Xunit.Abstractions;

namespace Baimo.Models.Tests;

public class GenerationReferenceTests(ITestOutputHelper output)
{
    /// <summary>stories260K, real weights: the 50 greedy tokens after "Once upon a time" are the reference's.</summary>
    [Fact]
    public void Stories260KGreedyContinuationIsIdentical()
    {
        var r = Reference.Load("models", "stories260K.ref.json");
        using var model = ModelRegistry.LoadDecoder(r.ModelPath);
        var prompt = model.Tokenizer.Encode(r.Json.GetProperty("prompt").GetString()!, addSpecial: true);
        Assert.Equal(r.Ids("input_ids"), prompt);
        using var s = model.CreateSession(contextLength: 128, threads: 2);
        var logits = s.Evaluate(prompt);
        var generated = new List<int>();
        for (int i = 0; i < 50; i++)
        {
            int next = Metrics.Argmax(logits);
            generated.Add(next);
            logits = s.Evaluate([next]);
        }
        Assert.Equal(r.GreedyIds, generated);
        Assert.Equal(r.Json.GetProperty("greedy").GetProperty("text").GetString(), model.Tokenizer.Decode(generated.ToArray()));
    }

    public static TheoryData<string, string> StepCases() => new()
    {
        { "models", "stories260K.ref.json" },
        { "models/synth-llama", "synth-llama-F32.ref.json" },
        { "models/synth-llama", "synth-llama-Q4_K.ref.json" },
        { "models/synth-qwen2", "synth-qwen2-F32.ref.json" },
    };

    /// <summary>
    /// KV-cached decoding, one token at a time after the prompt batch, gives the reference's step logits
    /// (teacher-forced with the reference's generated ids so that near-ties cannot derail the comparison).
    /// </summary>
    [Theory]
    [MemberData(nameof(StepCases))]
    public void KvCachedStepsMatchTheReferenceStepLogits(string dir, string refJson)
    {
        var r = Reference.Load([.. dir.Split('/'), refJson]);
        using var model = ModelRegistry.LoadDecoder(r.ModelPath);
        using var s = model.CreateSession(contextLength: 256, threads: 2);
        var prompt = r.Ids("input_ids");
        var greedy = r.GreedyIds;
        int steps = r.StepLogits.Length / r.Vocab;
        var ours = new float[steps * r.Vocab];
        s.Evaluate(prompt, ours.AsSpan(0, r.Vocab));
        for (int i = 1; i < steps; i++) s.Evaluate([greedy[i - 1]], ours.AsSpan(i * r.Vocab, r.Vocab));
        double nmse = Metrics.Nmse(ours, r.StepLogits);
        output.WriteLine($"{refJson}: step NMSE {nmse:E2} over {steps} steps");
        Assert.True(nmse <= (refJson.Contains("Q4_K") ? 2e-3 : 1e-8), $"step NMSE {nmse:E3}");
    }

    /// <summary>
    /// Greedy generation on every synthetic model follows the reference while the reference's top-1/top-2
    /// margin exceeds our measured logit difference (max |Δ| of the batch logits: ≤ 1e-5 for F32, 0.008 for
    /// F16, 0.05 for BF16, ≤ 0.23 for the quantized types; the tolerances below add a margin).
    /// </summary>
    [Theory]
    [InlineData("F32", 1e-4f)]
    [InlineData("F16", 0.02f)]
    [InlineData("BF16", 0.1f)]
    [InlineData("Q8_0", 0.3f)]
    [InlineData("Q4_0", 0.3f)]
    [InlineData("Q4_1", 0.3f)]
    [InlineData("Q5_0", 0.3f)]
    [InlineData("Q5_1", 0.3f)]
    [InlineData("Q2_K", 0.3f)]
    [InlineData("Q3_K", 0.3f)]
    [InlineData("Q4_K", 0.3f)]
    [InlineData("Q5_K", 0.3f)]
    [InlineData("Q6_K", 0.3f)]
    [InlineData("IQ4_NL", 0.3f)]
    [InlineData("IQ4_XS", 0.3f)]
    public void SyntheticGreedyFollowsTheReferenceWhileConfident(string type, float tolerance)
    {
        var r = Reference.Load("models", "synth-llama", $"synth-llama-{type}.ref.json");
        using var model = ModelRegistry.LoadDecoder(r.ModelPath);
        using var s = model.CreateSession(contextLength: 256, threads: 2);
        var logits = s.Evaluate(r.Ids("input_ids"));
        var expected = r.GreedyIds;
        var margins = r.Margins;
        int checkedSteps = 0;
        for (int i = 0; i < expected.Length && margins[i] > tolerance; i++)
        {
            Assert.Equal(expected[i], Metrics.Argmax(logits));
            checkedSteps++;
            logits = s.Evaluate([expected[i]]);
        }
        output.WriteLine($"{type}: {checkedSteps} greedy steps identical");
        Assert.True(checkedSteps > 0 || margins[0] <= tolerance);
    }
}

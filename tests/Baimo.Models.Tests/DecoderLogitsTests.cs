using Xunit.Abstractions;

namespace Baimo.Models.Tests;

/// <summary>
/// Logits of one batch over the whole reference sequence, against llama.cpp's, for every oracle decoder.
/// Budgets are the NMSE limits; the measured values are printed for the record.
/// </summary>
public class DecoderLogitsTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, double> Cases()
    {
        var d = new TheoryData<string, string, double>
        {
            { "models", "stories260K.ref.json", 1e-8 },
            { "models/synth-qwen2", "synth-qwen2-F32.ref.json", 1e-8 },
            { "models/synth-qwen2", "synth-qwen2-Q8_0.ref.json", 2e-3 },
        };
        foreach (var t in new[] { "F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS" })
            d.Add("models/synth-llama", $"synth-llama-{t}.ref.json", t switch { "F32" => 1e-8, "F16" => 1e-5, "BF16" => 1e-4, _ => 2e-3 });
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogitsOfOneBatchMatchTheReference(string dir, string refJson, double nmseBudget)
    {
        var r = Reference.Load([.. dir.Split('/'), refJson]);
        var ids = r.Json.TryGetProperty("sequence_ids", out var seq) && seq.ValueKind == System.Text.Json.JsonValueKind.Array
            ? r.Ids("sequence_ids") : r.Ids("input_ids");
        using var model = ModelRegistry.LoadDecoder(r.ModelPath);
        using var s = model.CreateSession(contextLength: 256, threads: 2);
        var logits = new float[ids.Length * r.Vocab];
        s.Evaluate(ids, logits, allLogits: true);
        Assert.Equal(r.Logits.Length, logits.Length);

        double nmse = Metrics.Nmse(logits, r.Logits);
        int confident = 0, agree = 0;
        for (int p = 0; p < ids.Length; p++)
        {
            var refRow = r.Logits.AsSpan(p * r.Vocab, r.Vocab);
            if (Metrics.Margin(refRow) <= 0.5f) continue;
            confident++;
            if (Metrics.Argmax(logits.AsSpan(p * r.Vocab, r.Vocab)) == Metrics.Argmax(refRow)) agree++;
        }
        output.WriteLine($"{refJson}: NMSE {nmse:E2} (budget {nmseBudget:E0}), max |Δ| {Metrics.MaxAbs(logits, r.Logits):E2}, argmax {agree}/{confident} confident rows");
        Assert.True(nmse <= nmseBudget, $"NMSE {nmse:E3} exceeds {nmseBudget:E0}");
        Assert.Equal(confident, agree);
    }
}

using System.Diagnostics;
using System.Text.Json;
using Baimo.Generation.Constraints;
using Xunit.Abstractions;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>How long Mask takes on the 151k-token qwen2 vocabulary at typical positions (printed, loosely bounded).</summary>
public class MaskTimingTests(ITestOutputHelper output)
{
    private const string Schema = """
        {"type":"object","properties":{"name":{"type":"string"},"color":{"enum":["red","green","blue"]},
         "n":{"type":"number"},"opt":{"type":"boolean"},"items":{"type":"array","items":{"type":"string","maxLength":20}}},
         "required":["name","color","n","items"]}
        """;

    [Theory]
    [InlineData("object", "")]
    [InlineData("object", "{")]
    [InlineData("object", "{\"")]
    [InlineData("object", "{\"key\": ")]
    [InlineData("object", "{\"key\": \"some text ")]
    [InlineData("object", "{\"key\": 12")]
    [InlineData("schema", "{\"name\": \"Ann")]
    [InlineData("schema", "{\"name\": \"Ann\", ")]
    [InlineData("schema", "{\"name\": \"Ann\", \"color\": \"")]
    [InlineData("schema", "{\"name\": \"Ann\", \"color\": \"red\", \"n\": 1")]
    [InlineData("schema", "{\"name\": \"Ann\", \"color\": \"red\", \"n\": 1, \"items\": [\"ab")]
    // Two string alternatives keep two threads alive inside the string: the slow path that walks the whole trie.
    [InlineData("ambiguous", "\"some text ")]
    public void MaskOnQwen2Vocabulary(string kind, string prefix)
    {
        var tok = Vocabularies.Qwen2;
        var build = Stopwatch.StartNew();
        VocabIndex.For(tok);
        output.WriteLine($"vocabulary tables ready in {build.Elapsed.TotalMilliseconds:F0} ms (built on first use, then cached)");
        var c = (GrammarConstraint)(kind switch
        {
            "object" => JsonConstraint.ForJsonObject(tok),
            "schema" => JsonConstraint.ForSchema(tok, JsonDocument.Parse(Schema).RootElement),
            _ => JsonConstraint.ForSchema(tok, JsonDocument.Parse("""{"anyOf":[{"type":"string","maxLength":50},{"type":"string","minLength":2}]}""").RootElement),
        });
        Assert.True(c.TryAdvance(System.Text.Encoding.UTF8.GetBytes(prefix)));
        var logits = new float[tok.VocabSize];
        c.Mask(logits); // warm up
        const int runs = 10;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < runs; i++) c.Mask(logits);
        double ms = sw.Elapsed.TotalMilliseconds / runs;
        int allowed = logits.Count(float.IsFinite);
        output.WriteLine($"{kind} after '{prefix}': {ms:F2} ms per Mask, {allowed} of {tok.VocabSize} tokens allowed");
        Assert.True(allowed > 0);
        // A guard against a pathological walk (seconds per token), not a speed check; the figure itself is printed above.
        Assert.True(ms < 2000, $"Mask took {ms:F1} ms");
    }
}

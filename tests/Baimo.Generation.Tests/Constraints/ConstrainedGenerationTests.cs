using System.Text.Json;
using Baimo.Models;
using Baimo.Testing;
using Xunit.Abstractions;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>The constraint inside the real generation loop: a small story model, which knows nothing about
/// JSON, still produces valid output because every other token is masked away.</summary>
public class ConstrainedGenerationTests(ITestOutputHelper output)
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");

    private const string Schema = """
        {"type":"object","properties":{
          "name":{"type":"string","maxLength":16},
          "age":{"type":"integer"},
          "friends":{"type":"array","items":{"type":"string","maxLength":10},"maxItems":3},
          "mood":{"enum":["happy","sad"]},
          "pet":{"anyOf":[{"$ref":"#/$defs/pet"},{"type":"null"}]}},
         "required":["name","age","friends","mood","pet"],"additionalProperties":false,
         "$defs":{"pet":{"type":"object","properties":{"kind":{"type":"string","maxLength":8},"legs":{"type":"integer"}},"required":["kind","legs"]}}}
        """;

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void StoryModelWritesSchemaValidJson(int? seed)
    {
        using var m = ModelRegistry.LoadDecoder(Stories);
        using var s = m.CreateSession(512, 2);
        var schema = JsonDocument.Parse(Schema).RootElement;
        var sampling = seed is { } sd ? new SamplingOptions { Temperature = 1.0f, Seed = sd } : SamplingOptions.Greedy;
        var streamed = new System.Text.StringBuilder();
        var r = new TextGenerator(s).Generate(m.Tokenizer.Encode("Once upon a time, Lily"), new GenerationOptions { MaxTokens = 400, Sampling = sampling },
            c => streamed.Append(c.Text), default, JsonConstraint.ForSchema(m.Tokenizer, schema));
        output.WriteLine($"{r.Ids.Length} tokens: {r.Text}");
        Assert.Equal(FinishReason.Stop, r.FinishReason);
        Assert.Equal(r.Text, streamed.ToString());
        using var doc = JsonDocument.Parse(r.Text);
        Assert.Null(SchemaValidator.Validate(doc.RootElement, schema));
    }

    [Fact]
    public void StoryModelWritesAJsonObjectPrefix()
    {
        // Nothing bounds a free-form object, and a story model never chooses to close it; every token it does
        // write must still keep the text a valid beginning of a JSON object.
        using var m = ModelRegistry.LoadDecoder(Stories);
        using var s = m.CreateSession(512, 2);
        var r = new TextGenerator(s).Generate(m.Tokenizer.Encode("Once upon a time"), new GenerationOptions { MaxTokens = 120, Sampling = SamplingOptions.Greedy },
            null, default, JsonConstraint.ForJsonObject(m.Tokenizer));
        output.WriteLine($"{r.Ids.Length} tokens, {r.FinishReason}: {r.Text}");
        if (r.FinishReason == FinishReason.Stop)
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(r.Text).RootElement.ValueKind);
        else
            Assert.Equal("prefix", Grammar.Run(Baimo.Generation.Constraints.SchemaCompiler.JsonObject, r.Text));
    }
}

using System.Text.Json;
using Xunit.Abstractions;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>Whatever allowed tokens are chosen, the finished output parses and satisfies the schema.</summary>
public class RandomWalkTests(ITestOutputHelper output)
{
    public static readonly TheoryData<string, string> Schemas = new()
    {
        { "person", """
            {"type":"object","properties":{
              "name":{"type":"string","maxLength":12},
              "age":{"type":"integer","minimum":0},
              "email":{"type":"string","format":"email"},
              "tags":{"type":"array","items":{"enum":["red","green","blue"]},"maxItems":4}},
             "required":["name","age"],"additionalProperties":false}
            """ },
        { "nested", """
            {"type":"object","properties":{
              "address":{"type":"object","properties":{"street":{"type":"string","maxLength":10},"zip":{"type":"string","minLength":5,"maxLength":5}},"required":["street","zip"]},
              "scores":{"type":"array","items":{"type":"number"},"minItems":1,"maxItems":3},
              "ok":{"type":"boolean"}},
             "required":["address","scores","ok"]}
            """ },
        { "anyOf", """
            {"type":"object","properties":{
              "value":{"anyOf":[{"type":"string","maxLength":6},{"type":"integer"},{"type":"null"}]},
              "kind":{"type":["string","null"],"maxLength":6},
              "shape":{"oneOf":[
                {"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number"}},"required":["kind","r"],"additionalProperties":false},
                {"type":"object","properties":{"kind":{"const":"rect"},"w":{"type":"integer"},"h":{"type":"integer"}},"required":["kind","w","h"],"additionalProperties":false}]}},
             "required":["value","kind","shape"]}
            """ },
        { "ref", """
            {"$defs":{"node":{"type":"object","properties":{
                "name":{"type":"string","maxLength":6},
                "children":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},
              "required":["name"],"additionalProperties":false}},
             "$ref":"#/$defs/node"}
            """ },
        { "enumArray", """{"type":"array","items":{"enum":["small","medium","large",42,null,true]},"minItems":2,"maxItems":5}""" },
        { "integer", """{"type":"integer"}""" },
        { "mixed", """{"type":"object","properties":{"id":{"type":"integer"},"label":{"type":"string","maxLength":5}},"required":["id"],"additionalProperties":{"type":"boolean"},"maxProperties":4}""" },
        { "map", """{"type":"object","additionalProperties":{"type":"array","items":{"type":"integer"},"maxItems":3},"minProperties":1,"maxProperties":3}""" },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void SchemaWalksProduceValidJson(string name, string schemaJson)
    {
        var schema = JsonDocument.Parse(schemaJson).RootElement;
        foreach (var vocab in new[] { "qwen2", "llama-spm" })
        {
            var tok = Vocabularies.Get(vocab);
            for (int seed = 0; seed < 4; seed++)
            {
                var r = RandomWalk.Run(tok, JsonConstraint.ForSchema(tok, schema), seed);
                if (seed == 0) output.WriteLine($"{name} {vocab}: {r.Text}");
                Assert.True(r.Complete, $"{vocab} seed {seed}: not complete after {r.Tokens} tokens: {r.Text}");
                using var doc = JsonDocument.Parse(r.Text);
                Assert.Null(SchemaValidator.Validate(doc.RootElement, schema));
            }
        }
    }

    [Theory]
    [InlineData("qwen2")]
    [InlineData("llama-spm")]
    public void JsonObjectWalksProduceObjects(string vocab)
    {
        var tok = Vocabularies.Get(vocab);
        for (int seed = 0; seed < 10; seed++)
        {
            var r = RandomWalk.Run(tok, JsonConstraint.ForJsonObject(tok), seed);
            if (seed < 2) output.WriteLine(r.Text);
            Assert.True(r.Complete, $"seed {seed}: not complete after {r.Tokens} tokens: {r.Text}");
            using var doc = JsonDocument.Parse(r.Text);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        }
    }
}

using Baimo.Generation.Constraints;

namespace Baimo.Generation.Tests.Constraints;

public class JsonAutomatonTests
{
    private static readonly RootNode AnyObject = SchemaCompiler.JsonObject;
    private static readonly RootNode AnyValue = Grammar.Schema("true");

    [Theory]
    [InlineData("{}")]
    [InlineData(" {}")]
    [InlineData("{\"a\":1}")]
    [InlineData("{ \"a\" : [1, -2.5e+3, 0.25, -0, 1E9], \"b\": {\"c\": null}, \"d\": true, \"e\": false }")]
    [InlineData("{\"s\":\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uABCD\"}")]
    [InlineData("{\"unicode\":\"héllo 世界 🎉\"}")]
    [InlineData("{\n  \"a\": [\n    {},\n    []\n  ]\n}")]
    [InlineData("{\"\":\"\"}")]
    public void JsonObjectAcceptsValidObjects(string text) => Assert.Equal("complete", Grammar.Run(AnyObject, text));

    [Theory]
    [InlineData("[]", 0)]                      // not an object
    [InlineData("{\"a\":1,}", 7)]             // trailing comma
    [InlineData("{\"a\" 1}", 5)]              // missing colon
    [InlineData("{a:1}", 1)]                  // unquoted key
    [InlineData("{\"a\":01}", 6)]             // leading zero
    [InlineData("{\"a\":1.}", 7)]             // fraction without digits
    [InlineData("{\"a\":.5}", 5)]
    [InlineData("{\"a\":+1}", 5)]
    [InlineData("{\"a\":tru}", 8)]
    [InlineData("{\"a\":\"\\x\"}", 7)]        // unknown escape
    [InlineData("{\"a\":\"\\u12G4\"}", 10)]   // bad hex
    [InlineData("{\"a\":\"\\uD800\"}", 9)]    // lone surrogate escape
    [InlineData("{\"a\":\"tab\there\"}", 9)]  // raw control character
    [InlineData("{} ", 2)]                    // nothing after the value
    [InlineData("{}{}", 2)]
    [InlineData("{\"a\":NaN}", 5)]
    public void JsonObjectRejectsInvalidText(string text, int at) => Assert.Equal($"rejected at {at}", Grammar.Run(AnyObject, text));

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        var root = AnyObject;
        Assert.Equal("prefix", RunBytes(root, [(byte)'{', (byte)'"', 0xE4, 0xB8]));        // partial 世 is fine mid-string
        Assert.Equal("rejected at 2", RunBytes(root, [(byte)'{', (byte)'"', 0xC0, 0x80])); // overlong
        Assert.Equal("rejected at 3", RunBytes(root, [(byte)'{', (byte)'"', 0xED, 0xA0, 0x80])); // UTF-8 surrogate
        Assert.Equal("rejected at 3", RunBytes(root, [(byte)'{', (byte)'"', 0xE4, (byte)'"'])); // cut character
        Assert.Equal("rejected at 2", RunBytes(root, [(byte)'{', (byte)'"', 0xF5]));
    }

    private static string RunBytes(RootNode root, byte[] bytes)
    {
        var current = new CursorList();
        current.Add(JsonAutomaton.Initial(root));
        for (int i = 0; i < bytes.Length; i++)
        {
            var next = new CursorList();
            for (int k = 0; k < current.Count; k++) JsonAutomaton.Step(current.Items[k], bytes[i], next);
            if (next.Count == 0) return $"rejected at {i}";
            current = next;
        }
        return "prefix";
    }

    [Theory]
    [InlineData("{ }", "complete")]
    [InlineData("{\n}", "complete")]
    [InlineData("{\n\t\t}", "complete")]
    [InlineData("{  }", "rejected at 2")]      // one space at most
    [InlineData("{\n\n}", "rejected at 2")]   // one newline at most
    [InlineData("{ \n}", "rejected at 2")]     // a newline must start the run
    [InlineData("{\r\n}", "rejected at 1")]
    public void WhitespaceRunsArePrettyPrinterShaped(string text, string expected) => Assert.Equal(expected, Grammar.Run(AnyObject, text));

    [Fact]
    public void IndentationIsBounded()
    {
        Assert.Equal("complete", Grammar.Run(AnyObject, "{\n" + new string(' ', JsonAutomaton.MaxIndent) + "}"));
        Assert.Equal($"rejected at {JsonAutomaton.MaxIndent + 2}", Grammar.Run(AnyObject, "{\n" + new string(' ', JsonAutomaton.MaxIndent + 1) + "}"));
    }

    [Fact]
    public void NumbersAreBoundedInLength()
    {
        Assert.Equal("complete", Grammar.Run(AnyValue, new string('9', 20)));
        Assert.Equal("rejected at 20", Grammar.Run(AnyValue, new string('9', 21)));
    }

    [Theory]
    [InlineData("1", "complete")]       // a top-level number may end or grow
    [InlineData("-", "prefix")]
    [InlineData("\"x\"", "complete")]
    [InlineData("[1,[2,{}]]", "complete")]
    [InlineData("nul", "prefix")]
    public void AnyValueAtTopLevel(string text, string expected) => Assert.Equal(expected, Grammar.Run(AnyValue, text));

    private const string Person = """
        {"type":"object","properties":{
            "name":{"type":"string","minLength":2,"maxLength":5},
            "age":{"type":"integer"},
            "email":{"type":"string"},
            "tags":{"type":"array","items":{"enum":["a","b"]},"minItems":1,"maxItems":2}},
         "required":["name","tags"],"additionalProperties":false}
        """;

    [Theory]
    [InlineData("{\"name\":\"Al\",\"tags\":[\"a\"]}", "complete")]
    [InlineData("{\"name\":\"Alice\",\"age\":30,\"email\":\"a@b\",\"tags\":[\"a\",\"b\"]}", "complete")]
    [InlineData("{ \"name\" : \"Bob\" , \"age\" : -1 , \"tags\" : [ \"b\" ] }", "complete")]
    [InlineData("{\n  \"name\": \"Bob\",\n  \"tags\": [\n    \"b\"\n  ]\n}", "complete")]
    [InlineData("{\"name\":\"Bob\",\"age\":", "prefix")]
    [InlineData("{\"tags\":[\"a\"],\"name\":\"Al\"}", "rejected at 2")]          // declaration order
    [InlineData("{\"name\":\"Al\"}", "rejected at 12")]                          // required tags missing
    [InlineData("{\"name\":\"A\",", "rejected at 10")]                           // minLength
    [InlineData("{\"name\":\"Alexa1\"", "rejected at 14")]                       // maxLength
    [InlineData("{\"name\":\"Al\",\"age\":1.5", "rejected at 20")]               // integer
    [InlineData("{\"name\":\"Al\",\"tags\":[]", "rejected at 21")]               // minItems
    [InlineData("{\"name\":\"Al\",\"tags\":[\"a\",\"b\",", "rejected at 28")]    // maxItems
    [InlineData("{\"name\":\"Al\",\"tags\":[\"c\"", "rejected at 22")]          // enum
    [InlineData("{\"name\":\"Al\",\"tags\":[\"a\"],\"x\":1}", "rejected at 25")] // additionalProperties false
    [InlineData("{\"name\":\"Al\",\"age\":1,\"age\"", "rejected at 22")]        // no repeated key
    public void SchemaObject(string text, string expected) => Assert.Equal(expected, Grammar.Run(Grammar.Schema(Person), text));

    [Theory]
    [InlineData("""{"v":"x","k":null}""", "complete")]
    [InlineData("""{"v":12,"k":"s"}""", "complete")]
    [InlineData("""{"v":null,"k":null}""", "complete")]
    [InlineData("""{"v":1.5""", "rejected at 6")]
    [InlineData("""{"v":true""", "rejected at 5")]
    public void AnyOfAndTypeArrays(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""
            {"type":"object","properties":{"v":{"anyOf":[{"type":"string"},{"type":"integer"},{"type":"null"}]},"k":{"type":["string","null"]}},"required":["v","k"]}
            """), text));

    [Theory]
    [InlineData("""{"name":"a","children":[{"name":"b","children":[]},{"name":"c"}]}""", "complete")]
    [InlineData("""{"name":"a","children":[{"children":[]}]}""", "rejected at 26")]
    public void RecursiveRef(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""
            {"$defs":{"node":{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["name"]}},
             "$ref":"#/$defs/node"}
            """), text));

    [Theory]
    [InlineData("""{"shape":{"kind":"circle","r":1}}""", "complete")]
    [InlineData("""{"shape":{"kind":"rect","w":1,"h":2}}""", "complete")]
    [InlineData("""{"shape":{"kind":"rect","r":1}}""", "rejected at 25")]
    [InlineData("""{"shape":{"kind":"tri""", "rejected at 18")]
    public void OneOfObjectsWithDefinitions(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""
            {"type":"object","properties":{"shape":{"oneOf":[{"$ref":"#/definitions/circle"},{"$ref":"#/definitions/rect"}]}},"required":["shape"],
             "definitions":{
               "circle":{"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number"}},"required":["kind","r"],"additionalProperties":false},
               "rect":{"type":"object","properties":{"kind":{"const":"rect"},"w":{"type":"number"},"h":{"type":"number"}},"required":["kind","w","h"],"additionalProperties":false}}}
            """), text));

    [Theory]
    [InlineData("""["red",1,null]""", "complete")]
    [InlineData("""["red"]""", "rejected at 6")]     // minItems 2
    [InlineData("""["redd""", "rejected at 5")]
    [InlineData("""[10""", "rejected at 2")]
    [InlineData("""[1,"blue"]""", "complete")]
    public void TopLevelArrayOfEnums(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""{"type":"array","items":{"enum":["red","green","blue",1,null]},"minItems":2}"""), text));

    [Theory]
    [InlineData("""{"id":1,"tag":"x","n":null}""", "complete")]
    [InlineData("""{"id":1,"tag":"x"}""", "rejected at 17")]  // allOf merges required lists
    public void AllOfMergesObjects(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""
            {"allOf":[{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]},
                      {"properties":{"tag":{"type":"string"},"n":{"type":"null"}},"required":["tag","n"]}]}
            """), text));

    [Theory]
    [InlineData("""{"a":1,"zz":{"q":2}}""", "complete")]
    [InlineData("""{"a":1,"b":"x"}""", "complete")]
    [InlineData("""{"zz":1}""", "rejected at 2")]  // required a comes first
    [InlineData("""{"a":1,"zz":"s"}""", "rejected at 12")]
    [InlineData("""{"a":1,"ab":2}""", "complete")]
    [InlineData("{\"a\":1,\"a\"", "rejected at 9")]             // a free key may not repeat a declared name
    [InlineData("{\"a\":1,\"b\":\"x\",\"b\"", "rejected at 17")]
    [InlineData("""{"a":1,"\u0062":2}""", "rejected at 8")]        // nor hide one behind an escape
    public void AdditionalPropertiesSchema(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""
            {"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["a"],"additionalProperties":{"type":["object","integer"]}}
            """), text));

    [Theory]
    [InlineData("""{"a":1,"b":2}""", "complete")]
    [InlineData("""{"c":1,"d":2}""", "complete")]
    [InlineData("""{"d":1""", "rejected at 2")]             // skipping a, b, c would leave too few for minProperties 2
    [InlineData("""{"a":1}""", "rejected at 6")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "complete")]
    [InlineData("""{"a":1,"b":2,"c":3,""", "rejected at 18")] // maxProperties 3
    public void PropertyCountBounds(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""
            {"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"},"d":{"type":"integer"}},"minProperties":2,"maxProperties":3}
            """), text));

    [Theory]
    [InlineData("""{"a":1,"c":2}""", "complete")]
    [InlineData("""{"a":1,"b":2""", "rejected at 8")]   // b would leave no room for the required c
    public void OptionalPropertiesLeaveRoomForRequiredOnes(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""
            {"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"},"d":{"type":"integer"}},"required":["c"],"maxProperties":2}
            """), text));

    [Theory]
    [InlineData("""[0,12,3.5]""", "complete")]
    [InlineData("""[-1""", "rejected at 1")]
    public void NonNegativeMinimumForbidsTheMinusSign(string text, string expected) =>
        Assert.Equal(expected, Grammar.Run(Grammar.Schema("""{"type":"array","items":{"type":"number","minimum":0}}"""), text));

    [Theory]
    [InlineData("""false""")]
    [InlineData("""{"enum":[]}""")]
    [InlineData("""{"type":"tuple"}""")]
    [InlineData("""{"$ref":"#/$defs/missing"}""")]
    [InlineData("""{"$ref":"https://example.com/schema"}""")]
    [InlineData("""{"anyOf":[{"$ref":"#"},{"type":"null"}]}""")]
    [InlineData("""{"type":"array","items":false,"prefixItems":[{}],"minItems":2}""")]
    [InlineData("""{"properties":{"a":{}},"additionalProperties":false,"minProperties":2}""")]
    [InlineData("""{"properties":{"a":{},"b":{}},"required":["a","b"],"maxProperties":1}""")]
    public void UnusableSchemasAreRefused(string schema) =>
        Assert.Throws<ArgumentException>(() => Grammar.Schema(schema));
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baimo.Generation.Constraints;

/// <summary>
/// Compiles the JSON Schema subset that structured-output clients send into a <see cref="RootNode"/> grammar.
/// Keywords that only narrow values further (format, pattern, minimum, …) are ignored: the output then still
/// has the right shape, and a shape-valid value is what clients parse. Declared properties are emitted in
/// declaration order; an object that declares properties gets no others unless additionalProperties asks.
/// </summary>
internal sealed class SchemaCompiler
{
    // Nesting bound while compiling (recursive schemas go through $ref and are compiled once per target).
    private const int MaxDepth = 64;

    private static readonly JsonSerializerOptions KeyEncoding = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonElement _document;
    private readonly Dictionary<string, RefNode> _refs = [];
    private readonly SchemaNode _any = BuildAny();
    private int _depth;

    private SchemaCompiler(JsonElement document) => _document = document;

    /// <summary>The grammar of any JSON object (response_format json_object).</summary>
    public static readonly RootNode JsonObject = new(new ObjectNode([], BuildAny()));

    public static RootNode Compile(JsonElement schema)
    {
        var c = new SchemaCompiler(schema);
        var root = new RootNode(c.Node(schema));
        GrammarChecks.RejectUnguardedCycles(root);
        return root;
    }

    /// <summary>Any JSON value: a union whose object and array alternatives hold the union itself.</summary>
    private static UnionNode BuildAny()
    {
        var alts = new SchemaNode[7];
        var any = new UnionNode(alts);
        alts[0] = new ObjectNode([], any);
        alts[1] = new ArrayNode([], any, 0, int.MaxValue);
        alts[2] = new StringNode(0, int.MaxValue);
        alts[3] = new NumberNode(integer: false);
        alts[4] = Literal("true");
        alts[5] = Literal("false");
        alts[6] = Literal("null");
        return any;
    }

    private static LiteralNode Literal(string json) => new(System.Text.Encoding.UTF8.GetBytes(json));

    private static LiteralNode Literal(JsonElement value)
    {
        // Compact, with non-ASCII characters left raw: any valid spelling of the value will do.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            value.WriteTo(w);
        return new LiteralNode(buffer.WrittenSpan.ToArray());
    }

    private SchemaNode Node(JsonElement s)
    {
        if (++_depth > MaxDepth) throw new ArgumentException($"the schema nests deeper than {MaxDepth} levels");
        try { return NodeCore(s); }
        finally { _depth--; }
    }

    private SchemaNode NodeCore(JsonElement s)
    {
        switch (s.ValueKind)
        {
            case JsonValueKind.True: return _any;
            case JsonValueKind.False: throw new ArgumentException("the schema `false` allows no value");
            case JsonValueKind.Object: break;
            default: throw new ArgumentException($"a schema must be an object or a boolean, not {s.ValueKind}");
        }

        if (s.TryGetProperty("$ref", out var reference)) return Ref(reference.GetString() ?? throw new ArgumentException("$ref must be a string"));
        if (s.TryGetProperty("const", out var constant)) return Literal(constant);
        if (s.TryGetProperty("enum", out var members))
        {
            var lits = members.EnumerateArray().Select(Literal).DistinctBy(l => Convert.ToHexString(l.Text)).ToArray<SchemaNode>();
            return lits.Length switch
            {
                0 => throw new ArgumentException("an empty enum allows no value"),
                1 => lits[0],
                _ => new UnionNode(lits),
            };
        }
        if (s.TryGetProperty("allOf", out var all)) return Node(MergeAllOf(s, all));
        foreach (var key in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            // oneOf's exclusivity is not enforced: alternatives real clients send rarely overlap.
            if (s.TryGetProperty(key, out var alts))
            {
                var nodes = alts.EnumerateArray().Select(Node).ToArray();
                if (nodes.Length == 0) throw new ArgumentException($"an empty {key} allows no value");
                return nodes.Length == 1 ? nodes[0] : new UnionNode(nodes);
            }
        }

        SchemaNode node;
        if (s.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String) node = Typed(s, type.GetString()!);
            else if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
            {
                var nodes = type.EnumerateArray().Select(t => Typed(s, t.GetString() ?? throw new ArgumentException("type names must be strings"))).ToArray();
                node = nodes.Length == 1 ? nodes[0] : new UnionNode(nodes);
            }
            else throw new ArgumentException("type must be a string or a non-empty array of strings");
        }
        else node = Typed(s, InferType(s));

        // OpenAPI-style "nullable": true.
        if (s.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True)
            node = new UnionNode([node, Literal("null")]);
        return node;
    }

    private static string InferType(JsonElement s)
    {
        if (Has(s, "properties") || Has(s, "required") || Has(s, "additionalProperties")) return "object";
        if (Has(s, "items") || Has(s, "prefixItems") || Has(s, "minItems") || Has(s, "maxItems")) return "array";
        if (Has(s, "minLength") || Has(s, "maxLength") || Has(s, "pattern") || Has(s, "format")) return "string";
        if (Has(s, "minimum") || Has(s, "maximum") || Has(s, "exclusiveMinimum") || Has(s, "exclusiveMaximum") || Has(s, "multipleOf")) return "number";
        return "any";
    }

    private static bool Has(JsonElement s, string key) => s.TryGetProperty(key, out _);

    private SchemaNode Typed(JsonElement s, string type) => type switch
    {
        "object" => Object(s),
        "array" => Array(s),
        "string" => new StringNode(Count(s, "minLength", 0), Count(s, "maxLength", int.MaxValue)),
        "number" => new NumberNode(integer: false, NonNegative(s)),
        "integer" => new NumberNode(integer: true, NonNegative(s)),
        "boolean" => new UnionNode([Literal("true"), Literal("false")]),
        "null" => Literal("null"),
        "any" => _any,
        _ => throw new ArgumentException($"unknown type '{type}'"),
    };

    /// <summary>
    /// The one numeric bound enforced: a lower bound of zero or more (counts, ages, prices) rules out the minus
    /// sign. Other bounds are not enforced.
    /// </summary>
    private static bool NonNegative(JsonElement s) =>
        (s.TryGetProperty("minimum", out var min) && min.ValueKind == JsonValueKind.Number && min.GetDouble() >= 0) ||
        (s.TryGetProperty("exclusiveMinimum", out var emin) && emin.ValueKind == JsonValueKind.Number && emin.GetDouble() >= 0);

    private static int Count(JsonElement s, string key, int fallback)
    {
        if (!s.TryGetProperty(key, out var v)) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || d < 0 || d != Math.Floor(d))
            throw new ArgumentException($"{key} must be a non-negative integer");
        return d >= int.MaxValue ? int.MaxValue : (int)d;
    }

    private ObjectNode Object(JsonElement s)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (s.TryGetProperty("required", out var req))
            foreach (var r in req.EnumerateArray()) required.Add(r.GetString() ?? throw new ArgumentException("required names must be strings"));

        var props = new List<PropertySpec>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        if (s.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                declared.Add(p.Name);
                props.Add(new PropertySpec(p.Name, KeyTail(p.Name), Node(p.Value), required.Contains(p.Name)));
            }
        }
        // A required name without a declared schema may hold any value.
        foreach (var name in required)
            if (!declared.Contains(name)) props.Add(new PropertySpec(name, KeyTail(name), _any, true));

        SchemaNode? additional;
        if (!s.TryGetProperty("additionalProperties", out var extra)) additional = props.Count == 0 ? _any : null;
        else if (extra.ValueKind == JsonValueKind.False) additional = null;
        else additional = Node(extra);

        int min = Count(s, "minProperties", 0), max = Count(s, "maxProperties", int.MaxValue);
        int requiredCount = props.Count(p => p.Required);
        if (min > max || requiredCount > max || (additional == null && min > props.Count))
            throw new ArgumentException($"no object satisfies minProperties {min}, maxProperties {max} with {requiredCount} required of {props.Count} declared properties");
        return new ObjectNode([.. props], additional, min, max);
    }

    /// <summary>The key as JSON text after its opening quote (the closing quote included).</summary>
    private static byte[] KeyTail(string name) => System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(name, KeyEncoding)[1..]);

    private ArrayNode Array(JsonElement s)
    {
        var prefix = new List<SchemaNode>();
        SchemaNode? items = _any;
        if (s.TryGetProperty("prefixItems", out var pre))
            foreach (var p in pre.EnumerateArray()) prefix.Add(Node(p));
        if (s.TryGetProperty("items", out var it))
        {
            if (it.ValueKind == JsonValueKind.Array)
            {
                // Draft 4–7 tuple form: items is the prefix, additionalItems the rest.
                foreach (var p in it.EnumerateArray()) prefix.Add(Node(p));
                items = s.TryGetProperty("additionalItems", out var ai) ? (ai.ValueKind == JsonValueKind.False ? null : Node(ai)) : _any;
            }
            else items = it.ValueKind == JsonValueKind.False ? null : Node(it);
        }
        int min = Count(s, "minItems", 0), max = Count(s, "maxItems", int.MaxValue);
        if (items == null) max = Math.Min(max, prefix.Count);
        if (min > max) throw new ArgumentException($"minItems {min} cannot be met (at most {max} items allowed)");
        return new ArrayNode([.. prefix], items, min, max);
    }

    /// <summary>Resolves a local JSON pointer ($defs, definitions, or any path in the document).</summary>
    private RefNode Ref(string reference)
    {
        if (_refs.TryGetValue(reference, out var known)) return known;
        var target = Resolve(reference);
        var node = new RefNode();
        _refs[reference] = node; // registered before compiling, so recursion ends here
        node.Target = Node(target);
        return node;
    }

    /// <summary>
    /// allOf as one schema: properties and required lists are combined, other keywords taken from the first
    /// schema that has them. Enough for the usual "base object plus extension" use.
    /// </summary>
    private JsonElement MergeAllOf(JsonElement s, JsonElement all)
    {
        var merged = new JsonObject();
        var properties = new JsonObject();
        var required = new List<string>();
        void Add(JsonElement part)
        {
            while (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("$ref", out var r)) part = Resolve(r.GetString()!);
            if (part.ValueKind != JsonValueKind.Object) return;
            foreach (var p in part.EnumerateObject())
            {
                if (p.Name == "allOf") { foreach (var inner in p.Value.EnumerateArray()) Add(inner); }
                else if (p.Name == "properties") { foreach (var q in p.Value.EnumerateObject()) properties[q.Name] ??= JsonNode.Parse(q.Value.GetRawText()); }
                else if (p.Name == "required") { foreach (var q in p.Value.EnumerateArray()) if (!required.Contains(q.GetString()!)) required.Add(q.GetString()!); }
                else if (!merged.ContainsKey(p.Name)) merged[p.Name] = JsonNode.Parse(p.Value.GetRawText());
            }
        }
        Add(s);
        if (properties.Count > 0) merged["properties"] = properties;
        if (required.Count > 0) merged["required"] = new JsonArray([.. required.Select(r => (JsonNode)JsonValue.Create(r))]);
        return JsonSerializer.SerializeToElement(merged);
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith('#')) throw new ArgumentException($"only local $ref (starting with #) is supported, not '{reference}'");
        var target = _document;
        foreach (var raw in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(part, out var next)) target = next;
            else if (target.ValueKind == JsonValueKind.Array && int.TryParse(part, out int i) && i >= 0 && i < target.GetArrayLength()) target = target[i];
            else throw new ArgumentException($"$ref '{reference}' does not resolve (no '{part}')");
        }
        return target;
    }
}

using System.Text.Json;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>
/// An independent checker for the schema subset the constraint supports, so tests can confirm generated
/// text against the schema itself rather than against the constraint's own compiled grammar.
/// oneOf is checked as anyOf (the constraint does not promise exclusivity).
/// </summary>
internal static class SchemaValidator
{
    public static string? Validate(JsonElement value, JsonElement schema) => Check(value, schema, schema, "$");

    private static string? Check(JsonElement v, JsonElement s, JsonElement root, string at)
    {
        if (s.ValueKind == JsonValueKind.True) return null;
        if (s.ValueKind == JsonValueKind.False) return $"{at}: schema false";
        if (s.TryGetProperty("$ref", out var r)) return Check(v, Resolve(root, r.GetString()!), root, at);
        if (s.TryGetProperty("const", out var c) && !JsonElement.DeepEquals(v, c)) return $"{at}: not the const {c}";
        if (s.TryGetProperty("enum", out var e) && !e.EnumerateArray().Any(m => JsonElement.DeepEquals(v, m))) return $"{at}: {v} not in enum";
        if (s.TryGetProperty("allOf", out var all))
            foreach (var part in all.EnumerateArray())
                if (Check(v, part, root, at) is { } err) return err;
        foreach (var key in new[] { "anyOf", "oneOf" })
            if (s.TryGetProperty(key, out var alts) && !alts.EnumerateArray().Any(a => Check(v, a, root, at) is null))
                return $"{at}: matches no {key} alternative: {v}";
        if (s.TryGetProperty("type", out var t))
        {
            var types = t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToArray() : [t.GetString()!];
            bool nullable = s.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
            if (!types.Any(x => IsType(v, x)) && !(nullable && v.ValueKind == JsonValueKind.Null)) return $"{at}: {v} is not {string.Join("|", types)}";
        }
        switch (v.ValueKind)
        {
            case JsonValueKind.Object:
                var props = s.TryGetProperty("properties", out var p) ? p : default;
                if (s.TryGetProperty("required", out var req))
                    foreach (var name in req.EnumerateArray())
                        if (!v.TryGetProperty(name.GetString()!, out _)) return $"{at}: missing required '{name}'";
                int members = v.EnumerateObject().Count();
                if (s.TryGetProperty("minProperties", out var mp) && members < mp.GetInt32()) return $"{at}: {members} < minProperties";
                if (s.TryGetProperty("maxProperties", out var xp) && members > xp.GetInt32()) return $"{at}: {members} > maxProperties";
                var seen = new HashSet<string>();
                foreach (var member in v.EnumerateObject())
                {
                    if (!seen.Add(member.Name)) return $"{at}: duplicate key '{member.Name}'";
                    if (props.ValueKind == JsonValueKind.Object && props.TryGetProperty(member.Name, out var ps))
                    {
                        if (Check(member.Value, ps, root, $"{at}.{member.Name}") is { } err) return err;
                    }
                    else if (s.TryGetProperty("additionalProperties", out var ap) && Check(member.Value, ap, root, $"{at}.{member.Name}") is { } err2)
                        return err2;
                }
                break;
            case JsonValueKind.Array:
                int count = v.GetArrayLength();
                if (s.TryGetProperty("minItems", out var mi) && count < mi.GetInt32()) return $"{at}: {count} < minItems";
                if (s.TryGetProperty("maxItems", out var ma) && count > ma.GetInt32()) return $"{at}: {count} > maxItems";
                var prefix = s.TryGetProperty("prefixItems", out var pi) ? pi.EnumerateArray().ToArray() : [];
                int i = 0;
                foreach (var item in v.EnumerateArray())
                {
                    var itemSchema = i < prefix.Length ? prefix[i] : s.TryGetProperty("items", out var its) ? its : default;
                    if (itemSchema.ValueKind != JsonValueKind.Undefined && Check(item, itemSchema, root, $"{at}[{i}]") is { } err) return err;
                    i++;
                }
                break;
            case JsonValueKind.Number:
                if (s.TryGetProperty("minimum", out var min) && v.GetDouble() < min.GetDouble()) return $"{at}: {v} < minimum";
                break;
            case JsonValueKind.String:
                int len = v.GetString()!.EnumerateRunes().Count();
                if (s.TryGetProperty("minLength", out var ml) && len < ml.GetInt32()) return $"{at}: length {len} < minLength";
                if (s.TryGetProperty("maxLength", out var xl) && len > xl.GetInt32()) return $"{at}: length {len} > maxLength";
                break;
        }
        return null;
    }

    private static bool IsType(JsonElement v, string type) => type switch
    {
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "string" => v.ValueKind == JsonValueKind.String,
        "number" => v.ValueKind == JsonValueKind.Number,
        "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => v.ValueKind == JsonValueKind.Null,
        _ => throw new ArgumentException(type),
    };

    private static JsonElement Resolve(JsonElement root, string reference)
    {
        var target = root;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)) target = target.GetProperty(part);
        return target;
    }
}

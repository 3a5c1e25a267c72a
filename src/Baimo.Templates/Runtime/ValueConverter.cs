using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baimo.Templates.Runtime;

/// <summary>Turns plain .NET values and System.Text.Json documents into template values.</summary>
internal static class ValueConverter
{
    public static object? FromDotNet(object? value, int depth = 0)
    {
        if (depth > 256) throw new TemplateException("value nested too deeply");
        switch (value)
        {
            case null: return null;
            case string or bool or long or double: return value;
            case int i: return (long)i;
            case short s: return (long)s;
            case byte b: return (long)b;
            case sbyte sb: return (long)sb;
            case ushort us: return (long)us;
            case uint ui: return (long)ui;
            case ulong ul: return ul <= long.MaxValue ? (object)(long)ul : (double)ul;
            case float f: return (double)f;
            case decimal m: return decimal.Truncate(m) == m && Math.Abs(m) < long.MaxValue ? (object)(long)m : (double)m;
            case Half h: return (double)h;
            case char c: return c.ToString();
            case Enum e: return e.ToString();
            case DateTime dt: return dt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            case DateTimeOffset dto: return dto.ToString("yyyy-MM-dd HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            case Guid g: return g.ToString();
            case Undefined or PyDict or PyTuple or PyNamespace or Markup or ICallable: return value;
            case JsonElement je: return FromJson(je, depth);
            case JsonNode jn: return FromJsonNode(jn, depth);
            case IReadOnlyDictionary<string, object?> rod:
                {
                    var d = new PyDict(rod.Count);
                    foreach (var kv in rod) d.Set(kv.Key, FromDotNet(kv.Value, depth + 1));
                    return d;
                }
            case IDictionary<string, object?> dict:
                {
                    var d = new PyDict(dict.Count);
                    foreach (var kv in dict) d.Set(kv.Key, FromDotNet(kv.Value, depth + 1));
                    return d;
                }
            case IDictionary nd:
                {
                    var d = new PyDict(nd.Count);
                    foreach (DictionaryEntry kv in nd) d.Set(FromDotNet(kv.Key, depth + 1), FromDotNet(kv.Value, depth + 1));
                    return d;
                }
            case IEnumerable seq:
                {
                    var l = new List<object?>();
                    foreach (var x in seq) l.Add(FromDotNet(x, depth + 1));
                    return l;
                }
            default: return FromObject(value, depth);
        }
    }


    /// <summary>Anonymous and plain objects become dicts of their public readable properties.</summary>
    private static PyDict FromObject(object value, int depth)
    {
        var d = new PyDict();
        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (p.CanRead && p.GetIndexParameters().Length == 0)
                d.Set(p.Name, FromDotNet(p.GetValue(value), depth + 1));
        return d;
    }

    public static object? FromJson(JsonElement e, int depth = 0)
    {
        if (depth > 256) throw new TemplateException("value nested too deeply");
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var d = new PyDict();
                foreach (var p in e.EnumerateObject()) d.Set(p.Name, FromJson(p.Value, depth + 1));
                return d;
            case JsonValueKind.Array:
                var l = new List<object?>(e.GetArrayLength());
                foreach (var x in e.EnumerateArray()) l.Add(FromJson(x, depth + 1));
                return l;
            case JsonValueKind.String: return e.GetString();
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && e.TryGetInt64(out var n)) return n;
                return e.GetDouble();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            default: return null;
        }
    }

    private static object? FromJsonNode(JsonNode node, int depth)
    {
        switch (node)
        {
            case JsonObject o:
                var d = new PyDict(o.Count);
                foreach (var kv in o) d.Set(kv.Key, kv.Value is null ? null : FromJsonNode(kv.Value, depth + 1));
                return d;
            case JsonArray a:
                var l = new List<object?>(a.Count);
                foreach (var x in a) l.Add(x is null ? null : FromJsonNode(x, depth + 1));
                return l;
            case JsonValue v:
                if (v.TryGetValue<JsonElement>(out var je)) return FromJson(je, depth);
                return FromDotNet(v.GetValue<object>(), depth);
            default: return null;
        }
    }

    /// <summary>Template value back to plain .NET (lists, dictionaries, long/double/string/bool/null).</summary>
    public static object? ToDotNet(object? value) => value switch
    {
        Undefined => null,
        Markup m => m.Value,
        List<object?> l => l.Select(ToDotNet).ToList(),
        PyTuple t => t.Items.Select(ToDotNet).ToList(),
        PyDict d => d.ToDictionary(kv => PyFormat.Str(kv.Key), kv => ToDotNet(kv.Value)),
        _ => value,
    };
}

using System.Text.Json;
using Baimo.Server.Errors;

namespace Baimo.Server.Http;

/// <summary>
/// Typed access to a JSON object's fields that remembers which were read, so anything a client sent that the
/// server does not understand is refused (<see cref="RejectUnknown"/>) instead of being silently ignored.
/// Every error names the parameter (<c>messages[2].content</c>).
/// </summary>
public sealed class JsonRequest
{
    private readonly JsonElement _object;
    private readonly string _prefix;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public JsonRequest(JsonElement value, string path = "")
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest(path.Length == 0 ? "the request body must be a JSON object" : $"'{path}' must be an object", path.Length == 0 ? null : path);
        _object = value;
        _prefix = path.Length == 0 ? "" : path + ".";
    }

    public string PathOf(string name) => _prefix + name;

    public bool Has(string name) => _object.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>The field, or null when absent or JSON null. Marks it as understood.</summary>
    public JsonElement? Get(string name)
    {
        _read.Add(name);
        return _object.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
    }

    /// <summary>Fields the server accepts and deliberately does not act on (e.g. <c>user</c>).</summary>
    public void Ignore(params string[] names)
    {
        foreach (var n in names) _read.Add(n);
    }

    public string? String(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.String) throw Invalid(name, "must be a string");
        return v.GetString();
    }

    public bool? Bool(string name)
    {
        if (Get(name) is not { } v) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, "must be true or false"),
        };
    }

    public float? Float(string name, float min, float max)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d)) throw Invalid(name, "must be a number");
        if (d < min || d > max) throw Invalid(name, $"must be between {min} and {max} (got {d})");
        return (float)d;
    }

    public int? Int(string name, int min, int max)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var l)) throw Invalid(name, "must be an integer");
        if (l < min || l > max) throw Invalid(name, $"must be between {min} and {max} (got {l})");
        return (int)l;
    }

    public long? Long(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var l)) throw Invalid(name, "must be an integer");
        return l;
    }

    public JsonElement? Array(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Array) throw Invalid(name, "must be an array");
        return v;
    }

    public JsonRequest? Object(string name) => Get(name) is { } v ? new JsonRequest(v, PathOf(name)) : null;

    /// <summary>A string or an array of strings (as <c>stop</c> is given).</summary>
    public List<string>? Strings(string name, int max)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array) throw Invalid(name, "must be a string or an array of strings");
        var list = new List<string>();
        foreach (var s in v.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.String) throw Invalid(name, "must be a string or an array of strings");
            list.Add(s.GetString()!);
        }
        if (list.Count > max) throw Invalid(name, $"may hold at most {max} strings (got {list.Count})");
        return list;
    }

    /// <summary>Refuses a field that is present with anything but an allowed value.</summary>
    public void Refuse(string name, string why, Func<JsonElement, bool>? allowed = null)
    {
        if (Get(name) is { } v && (allowed is null || !allowed(v))) throw ApiException.Unsupported(PathOf(name), why);
    }

    /// <summary>400 for the first field nobody read.</summary>
    public void RejectUnknown()
    {
        foreach (var p in _object.EnumerateObject())
            if (!_read.Contains(p.Name))
                throw new ApiException(400, $"Unrecognized request argument supplied: {PathOf(p.Name)}", PathOf(p.Name), "unknown_parameter");
    }

    public ApiException Invalid(string name, string why) => ApiException.BadRequest($"'{PathOf(name)}' {why}", PathOf(name), "invalid_value");
}

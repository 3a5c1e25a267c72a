using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Baimo.Formats.Gguf;

/// <summary>
/// GGUF key/value metadata in file order, as plain .NET values (see <see cref="GgufValues"/>).
/// Order is kept because writers and round-trip checks care about it.
/// </summary>
public sealed class GgufMetadata : IReadOnlyDictionary<string, object>
{
    private readonly List<KeyValuePair<string, object>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public GgufMetadata() { }

    public GgufMetadata(IEnumerable<KeyValuePair<string, object>> entries)
    {
        foreach (var (k, v) in entries) Set(k, v);
    }

    /// <summary>Adds or replaces a value (a replaced key keeps its position).</summary>
    public void Set(string key, object value)
    {
        GgufValues.TagOf(value); // validates the CLR type early
        if (_index.TryGetValue(key, out var i)) _entries[i] = new(key, value);
        else
        {
            _index[key] = _entries.Count;
            _entries.Add(new(key, value));
        }
    }

    /// <summary>Removes a key; true if it was present.</summary>
    public bool Remove(string key)
    {
        if (!_index.Remove(key, out var i)) return false;
        _entries.RemoveAt(i);
        for (int j = i; j < _entries.Count; j++) _index[_entries[j].Key] = j;
        return true;
    }

    internal bool TryAdd(string key, object value)
    {
        if (_index.ContainsKey(key)) return false;
        Set(key, value);
        return true;
    }

    public object this[string key] => _entries[_index[key]].Value;
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);
    public IEnumerable<object> Values => _entries.Select(e => e.Value);
    public int Count => _entries.Count;
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        if (_index.TryGetValue(key, out var i)) { value = _entries[i].Value; return true; }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A string value, or null when absent or not a string.</summary>
    public string? GetString(string key) => TryGetValue(key, out var v) ? v as string : null;

    /// <summary>An integer value of any stored width, or null when absent or not an integer.</summary>
    public long? GetInt(string key) => TryGetValue(key, out var v) ? AsLong(v) : null;

    /// <summary>A float value (either width), or null.</summary>
    public double? GetFloat(string key) => TryGetValue(key, out var v) ? v switch
    {
        float f => f,
        double d => d,
        _ => AsLong(v),
    } : null;

    /// <summary>A boolean value, or null.</summary>
    public bool? GetBool(string key) => TryGetValue(key, out var v) && v is bool b ? b : null;

    /// <summary>An array value, or null.</summary>
    public Array? GetArray(string key) => TryGetValue(key, out var v) ? v as Array : null;

    /// <summary>Any integer boxing as a long; null for other values (ulong above long.MaxValue too).</summary>
    public static long? AsLong(object v) => v switch
    {
        byte x => x,
        sbyte x => x,
        ushort x => x,
        short x => x,
        uint x => x,
        int x => x,
        ulong x when x <= long.MaxValue => (long)x,
        long x => x,
        _ => null,
    };

    /// <summary>True when both hold the same keys in the same order with equal values.</summary>
    public bool ContentEquals(GgufMetadata other)
    {
        if (Count != other.Count) return false;
        for (int i = 0; i < _entries.Count; i++)
        {
            var a = _entries[i];
            var b = other._entries[i];
            if (a.Key != b.Key || !GgufValues.ValueEquals(a.Value, b.Value)) return false;
        }
        return true;
    }
}

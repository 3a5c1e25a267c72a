using System.Collections;

namespace Baimo.Templates.Runtime;

/// <summary>
/// Jinja's undefined value: falsy, renders empty, iterates as empty, but fails on attribute access,
/// calls and arithmetic with <see cref="Message"/>.
/// </summary>
internal sealed class Undefined
{
    public static readonly Undefined Anonymous = new("value is undefined");

    public Undefined(string message, bool unsafeAccess = false)
    {
        Message = message;
        UnsafeAccess = unsafeAccess;
    }

    public string Message { get; }

    /// <summary>The sandbox refused an attribute: using it raises a security error.</summary>
    public bool UnsafeAccess { get; }

    public static Undefined Named(string name) => new($"'{name}' is undefined");

    public static Undefined MissingAttribute(object? owner, object? attribute) =>
        new($"'{PyFormat.TypeName(owner)} object' has no attribute {PyFormat.Repr(attribute)}");

    public TemplateException Fail() => new(UnsafeAccess ? "SecurityError: " + Message : "UndefinedError: " + Message);
}

/// <summary>An immutable Python tuple.</summary>
internal sealed class PyTuple(object?[] items) : IReadOnlyList<object?>
{
    public static readonly PyTuple Empty = new([]);
    public object?[] Items { get; } = items;
    public object? this[int index] => Items[index];
    public int Count => Items.Length;
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)Items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();
}

/// <summary>A Python dict: insertion-ordered, keys compared with Python equality (1 == 1.0 == True).</summary>
internal sealed class PyDict : IEnumerable<KeyValuePair<object?, object?>>
{
    private static readonly object NoneKey = new();
    private readonly OrderedDictionary<object, object?> _items;

    public PyDict() => _items = new OrderedDictionary<object, object?>(PyKeyComparer.Instance);
    public PyDict(int capacity) => _items = new OrderedDictionary<object, object?>(capacity, PyKeyComparer.Instance);

    public int Count => _items.Count;

    public bool TryGetValue(object? key, out object? value) => _items.TryGetValue(Wrap(key), out value);
    public bool ContainsKey(object? key) => _items.ContainsKey(Wrap(key));
    public void Set(object? key, object? value) => _items[Wrap(key)] = value;
    public bool Remove(object? key) => _items.Remove(Wrap(key));
    public void Clear() => _items.Clear();

    public IEnumerable<object?> Keys => _items.Keys.Select(Unwrap);
    public IEnumerable<object?> Values => _items.Values;

    public IEnumerator<KeyValuePair<object?, object?>> GetEnumerator()
    {
        foreach (var kv in _items) yield return new(Unwrap(kv.Key), kv.Value);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public PyDict Copy()
    {
        var d = new PyDict(Count);
        foreach (var kv in _items) d._items[kv.Key] = kv.Value;
        return d;
    }

    private static object Wrap(object? key)
    {
        if (key is null) return NoneKey;
        if (key is Undefined or PyDict or List<object?>) throw new TemplateException($"TypeError: unhashable type: '{PyFormat.TypeName(key)}'");
        return key;
    }

    private static object? Unwrap(object key) => ReferenceEquals(key, NoneKey) ? null : key;

    private sealed class PyKeyComparer : IEqualityComparer<object>
    {
        public static readonly PyKeyComparer Instance = new();
        public new bool Equals(object? x, object? y) => PyOps.AreEqual(x, y);
        public int GetHashCode(object obj) => obj switch
        {
            string s => string.GetHashCode(s, StringComparison.Ordinal),
            Markup m => string.GetHashCode(m.Value, StringComparison.Ordinal),
            bool b => b ? 1 : 0,
            long l => l.GetHashCode(),
            double d => d == Math.Floor(d) && Math.Abs(d) < 9e18 ? ((long)d).GetHashCode() : d.GetHashCode(),
            PyTuple t => t.Items.Aggregate(17, (h, x) => h * 31 + (x is null ? 0 : GetHashCode(x))),
            _ => obj.GetHashCode(),
        };
    }
}

/// <summary>The object <c>namespace(...)</c> returns: attributes assignable with <c>{% set ns.x = ... %}</c>.</summary>
internal sealed class PyNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A one-shot lazy sequence, as the generators Jinja's <c>map</c>, <c>select</c>... return: truthy,
/// iterable once, not JSON serializable, without a length.
/// </summary>
internal sealed class PyGenerator(IEnumerable<object?> source, string kind = "generator")
{
    private IEnumerator<object?>? _enumerator;
    public string Kind { get; } = kind;

    public IEnumerable<object?> Consume()
    {
        _enumerator ??= source.GetEnumerator();
        while (_enumerator.MoveNext()) yield return _enumerator.Current;
    }
}

/// <summary>A dict view (<c>dict_items</c>, <c>dict_keys</c>, <c>dict_values</c>): iterable many times, sized, not subscriptable, not JSON.</summary>
internal sealed class PyView(string kind, List<object?> items)
{
    public string Kind { get; } = kind;
    public List<object?> Items { get; } = items;
}

/// <summary>A string marked safe (MarkupSafe's Markup): concatenation with plain strings escapes them.</summary>
internal sealed class Markup(string value)
{
    public string Value { get; } = value;
    public override string ToString() => Value;
    public override bool Equals(object? obj) => obj is Markup m && m.Value == Value;
    public override int GetHashCode() => string.GetHashCode(Value, StringComparison.Ordinal);

    public static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>'\"") < 0) return s;
        var sb = new System.Text.StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\'' => "&#39;",
                '"' => "&#34;",
                _ => null,
            });
            if (c is not ('&' or '<' or '>' or '\'' or '"')) sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>Positional and keyword arguments of a call.</summary>
internal sealed class CallArgs
{
    public static readonly CallArgs None = new([], []);

    public CallArgs(List<object?> positional, List<KeyValuePair<string, object?>> keywords)
    {
        Positional = positional;
        Keywords = keywords;
    }

    public List<object?> Positional { get; }
    public List<KeyValuePair<string, object?>> Keywords { get; }

    public int Count => Positional.Count;

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        foreach (var kv in Keywords)
            if (kv.Key == name) return kv.Value;
        return index >= 0 && index < Positional.Count ? Positional[index] : fallback;
    }

    public bool Has(int index, string name)
    {
        foreach (var kv in Keywords)
            if (kv.Key == name) return true;
        return index >= 0 && index < Positional.Count;
    }

    /// <summary>Refuses arguments beyond those a function accepts.</summary>
    public void Check(string function, params string[] names)
    {
        if (Positional.Count > names.Length)
            throw new TemplateException($"TypeError: {function}() takes at most {names.Length} argument(s) ({Positional.Count} given)");
        foreach (var kv in Keywords)
            if (Array.IndexOf(names, kv.Key) < 0)
                throw new TemplateException($"TypeError: {function}() got an unexpected keyword argument '{kv.Key}'");
    }
}

/// <summary>Something a template can call: macros, globals, bound methods.</summary>
internal interface ICallable
{
    string Name { get; }
    object? Call(Interpreter interpreter, CallArgs args);
}

/// <summary>A callable implemented in C#.</summary>
internal sealed class BuiltinFunction(string name, Func<Interpreter, CallArgs, object?> body) : ICallable
{
    public string Name { get; } = name;
    public object? Call(Interpreter interpreter, CallArgs args) => body(interpreter, args);
}

/// <summary>A Python method bound to its receiver, e.g. <c>message.items</c> or <c>text.strip</c>.</summary>
internal sealed class BoundMethod(object receiver, string name) : ICallable
{
    public object Receiver { get; } = receiver;
    public string Name { get; } = name;
    public object? Call(Interpreter interpreter, CallArgs args) => PyMethods.Invoke(interpreter, Receiver, Name, args);
}

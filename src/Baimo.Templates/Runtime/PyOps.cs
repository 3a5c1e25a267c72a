using System.Globalization;

namespace Baimo.Templates.Runtime;

/// <summary>Python semantics of the operators: truth, equality, ordering, arithmetic, membership, iteration.</summary>
internal static class PyOps
{
    public static TemplateException TypeError(string message) => new("TypeError: " + message);

    public static bool IsString(object? v) => v is string or Markup;

    public static bool TryString(object? v, out string s)
    {
        switch (v)
        {
            case string str: s = str; return true;
            case Markup m: s = m.Value; return true;
            default: s = ""; return false;
        }
    }

    public static bool IsNumber(object? v) => v is long or double or bool;

    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Markup m => m.Value.Length > 0,
        Undefined => false,
        List<object?> l => l.Count > 0,
        PyTuple t => t.Count > 0,
        PyDict d => d.Count > 0,
        PyView view => view.Items.Count > 0,
        _ => true,
    };

    public static bool AreEqual(object? a, object? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null) return false;
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double) return ToDouble(a) == ToDouble(b);
            return ToLong(a) == ToLong(b);
        }
        if (TryString(a, out var sa) && TryString(b, out var sb)) return sa == sb;
        switch (a)
        {
            case Undefined: return b is Undefined;
            case List<object?> la when b is List<object?> lb: return SequenceEqual(la, lb);
            case PyTuple ta when b is PyTuple tb: return SequenceEqual(ta.Items, tb.Items);
            case PyDict da when b is PyDict db:
                System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
                if (da.Count != db.Count) return false;
                foreach (var kv in da)
                    if (!db.TryGetValue(kv.Key, out var other) || !AreEqual(kv.Value, other)) return false;
                return true;
            case BoundMethod ma when b is BoundMethod mb: return ReferenceEquals(ma.Receiver, mb.Receiver) && ma.Name == mb.Name;
        }
        return false;
    }

    private static bool SequenceEqual(IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (!AreEqual(a[i], b[i])) return false;
        return true;
    }

    /// <summary>Python's ordering (<c>&lt;</c> and friends); returns negative, zero or positive.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (a is Undefined ua) throw ua.Fail();
        if (b is Undefined ub) throw ub.Fail();
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double)
            {
                double x = ToDouble(a), y = ToDouble(b);
                return x < y ? -1 : x > y ? 1 : 0;
            }
            return ToLong(a).CompareTo(ToLong(b));
        }
        if (TryString(a, out var sa) && TryString(b, out var sb)) return Math.Sign(CompareCodePoints(sa, sb));
        if (a is List<object?> la && b is List<object?> lb) return CompareSequences(la, lb, op);
        if (a is PyTuple ta && b is PyTuple tb) return CompareSequences(ta.Items, tb.Items, op);
        throw TypeError($"'{op}' not supported between instances of '{PyFormat.TypeName(a)}' and '{PyFormat.TypeName(b)}'");
    }

    public static int CompareCodePoints(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] == b[i]) continue;
            // Surrogates sort above the rest of the BMP in code-point order.
            int x = a[i], y = b[i];
            if (char.IsSurrogate(a[i])) x += 0x10000;
            if (char.IsSurrogate(b[i])) y += 0x10000;
            return x - y;
        }
        return a.Length - b.Length;
    }

    private static int CompareSequences(IReadOnlyList<object?> a, IReadOnlyList<object?> b, string op)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
            if (!AreEqual(a[i], b[i])) return Compare(a[i], b[i], op);
        return a.Count.CompareTo(b.Count);
    }

    public static long ToLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => (long)d,
        _ => throw TypeError($"expected an integer, got '{PyFormat.TypeName(v)}'"),
    };

    public static double ToDouble(object? v) => v switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw TypeError($"expected a number, got '{PyFormat.TypeName(v)}'"),
    };

    /// <summary>An integer argument (bool counts, as in Python).</summary>
    public static long Int(object? v, string what)
    {
        if (v is long or bool) return ToLong(v);
        if (v is Undefined u) throw u.Fail();
        throw TypeError($"'{PyFormat.TypeName(v)}' object cannot be interpreted as an integer ({what})");
    }

    /// <summary>Python's <c>in</c>.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string or Markup:
                if (!TryString(item, out var needle))
                    throw TypeError($"'in <string>' requires string as left operand, not {PyFormat.TypeName(item)}");
                TryString(container, out var hay);
                return hay.Contains(needle, StringComparison.Ordinal);
            case PyDict d: return d.ContainsKey(item);
            case List<object?> l: return l.Any(x => AreEqual(x, item));
            case PyTuple t: return t.Items.Any(x => AreEqual(x, item));
            case PyGenerator g: return g.Consume().Any(x => AreEqual(x, item));
            case PyView v: return v.Items.Any(x => AreEqual(x, item));
            case Undefined: return false;
            case PyNamespace: return false;
            default: throw TypeError($"argument of type '{PyFormat.TypeName(container)}' is not iterable");
        }
    }

    /// <summary>Python's <c>iter(value)</c>: strings give characters, dicts give keys, undefined gives nothing.</summary>
    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        List<object?> l => l,
        PyTuple t => t.Items,
        PyDict d => d.Keys,
        string s => PyStrings.CodePoints(s),
        Markup m => PyStrings.CodePoints(m.Value),
        PyGenerator g => g.Consume(),
        PyView v => v.Items,
        Undefined => [],
        _ => throw TypeError($"'{PyFormat.TypeName(value)}' object is not iterable"),
    };

    public static bool IsIterable(object? value) =>
        value is List<object?> or PyTuple or PyDict or string or Markup or PyGenerator or PyView or Undefined;

    /// <summary>Materialises any iterable as a list.</summary>
    public static List<object?> ToList(object? value) => value is List<object?> l ? l : Iterate(value).ToList();

    /// <summary>Python's <c>len()</c>.</summary>
    public static long Len(object? value) => value switch
    {
        string s => PyStrings.Length(s),
        Markup m => PyStrings.Length(m.Value),
        List<object?> l => l.Count,
        PyTuple t => t.Count,
        PyDict d => d.Count,
        PyView v => v.Items.Count,
        Undefined => 0,
        _ => throw TypeError($"object of type '{PyFormat.TypeName(value)}' has no len()"),
    };

    /// <summary>The element indices Python's <c>slice(start, stop, step).indices(length)</c> selects.</summary>
    public static List<int> SliceIndices(int length, long? start, long? stop, long? step)
    {
        var st = step ?? 1;
        if (st == 0) throw new TemplateException("ValueError: slice step cannot be zero");
        long lo, hi;
        if (st > 0)
        {
            lo = Clamp(start ?? 0, length, 0, length);
            hi = Clamp(stop ?? length, length, 0, length);
        }
        else
        {
            lo = start is null ? length - 1 : Clamp(start.Value, length, -1, length - 1);
            hi = stop is null ? -1 : Clamp(stop.Value, length, -1, length - 1);
        }
        var result = new List<int>();
        if (st > 0) for (var i = lo; i < hi; i += st) result.Add((int)i);
        else for (var i = lo; i > hi; i += st) result.Add((int)i);
        return result;
    }

    private static long Clamp(long index, int length, long low, long high)
    {
        if (index < 0) index += length;
        return Math.Clamp(index, low, high);
    }

    public static object? Slice(object? value, long? start, long? stop, long? step)
    {
        switch (value)
        {
            case string s: return PyStrings.Slice(s, start, stop, step);
            case Markup m: return new Markup(PyStrings.Slice(m.Value, start, stop, step));
            case List<object?> l: return SliceIndices(l.Count, start, stop, step).Select(i => l[i]).ToList();
            case PyTuple t: return new PyTuple(SliceIndices(t.Count, start, stop, step).Select(i => t[i]).ToArray());
            case Undefined u: throw u.Fail();
            default: throw TypeError($"'{PyFormat.TypeName(value)}' object is not subscriptable");
        }
    }

    public static string FormatInt(long v) => v.ToString(CultureInfo.InvariantCulture);
}

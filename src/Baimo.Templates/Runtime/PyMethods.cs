using Baimo.Templates.Builtins;
namespace Baimo.Templates.Runtime;

/// <summary>The Python methods of str, list, tuple and dict that templates call.</summary>
internal static class PyMethods
{
    private static readonly HashSet<string> StrMethods =
    [
        "capitalize", "casefold", "center", "count", "endswith", "find", "format", "index", "isalnum", "isalpha",
        "isascii", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "ljust",
        "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
        "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill",
    ];

    private static readonly HashSet<string> ListMethods = ["append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"];
    private static readonly HashSet<string> ListMutators = ["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"];
    private static readonly HashSet<string> DictMethods = ["clear", "copy", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"];
    private static readonly HashSet<string> DictMutators = ["clear", "pop", "popitem", "setdefault", "update"];

    public static bool Has(object receiver, string name) => receiver switch
    {
        string or Markup => StrMethods.Contains(name),
        List<object?> => ListMethods.Contains(name),
        PyTuple => name is "count" or "index",
        PyDict => DictMethods.Contains(name),
        _ => false,
    };

    public static bool Mutates(object receiver, string name) => receiver switch
    {
        List<object?> => ListMutators.Contains(name),
        PyDict => DictMutators.Contains(name),
        _ => false,
    };

    public static object? Invoke(Interpreter interp, object receiver, string name, CallArgs args) => receiver switch
    {
        string s => StringMethods.Invoke(interp, s, name, args),
        Markup m => StringMethods.Invoke(interp, m.Value, name, args),
        List<object?> l => ListMethod(interp, l, name, args),
        PyTuple t => SequenceMethod(t.Items, name, args),
        PyDict d => DictMethod(d, name, args),
        _ => throw PyOps.TypeError($"'{PyFormat.TypeName(receiver)}' object has no method '{name}'"),
    };

    private static object? SequenceMethod(IReadOnlyList<object?> items, string name, CallArgs args)
    {
        switch (name)
        {
            case "count":
                args.Check(name, "value");
                return (long)items.Count(x => PyOps.AreEqual(x, args.Get(0, "value")));
            case "index":
                for (var i = 0; i < items.Count; i++)
                    if (PyOps.AreEqual(items[i], args.Get(0, "value"))) return (long)i;
                throw new TemplateException($"ValueError: {PyFormat.Repr(args.Get(0, "value"))} is not in list");
            default:
                throw PyOps.TypeError($"unknown method {name}");
        }
    }

    private static object? ListMethod(Interpreter interp, List<object?> l, string name, CallArgs args)
    {
        switch (name)
        {
            case "append": l.Add(args.Get(0, "object")); return null;
            case "extend": l.AddRange(PyOps.Iterate(args.Get(0, "iterable"))); return null;
            case "insert":
                var at = PyOps.Int(args.Get(0, "index"), "index");
                if (at < 0) at = Math.Max(0, at + l.Count);
                l.Insert((int)Math.Min(at, l.Count), args.Get(1, "object"));
                return null;
            case "pop":
                if (l.Count == 0) throw new TemplateException("IndexError: pop from empty list");
                var i = args.Has(0, "index") ? PyOps.Int(args.Get(0, "index"), "index") : -1;
                if (i < 0) i += l.Count;
                if (i < 0 || i >= l.Count) throw new TemplateException("IndexError: pop index out of range");
                var item = l[(int)i];
                l.RemoveAt((int)i);
                return item;
            case "remove":
                var idx = l.FindIndex(x => PyOps.AreEqual(x, args.Get(0, "value")));
                if (idx < 0) throw new TemplateException("ValueError: list.remove(x): x not in list");
                l.RemoveAt(idx);
                return null;
            case "clear": l.Clear(); return null;
            case "reverse": l.Reverse(); return null;
            case "copy": return new List<object?>(l);
            case "sort":
                var sorted = Filters.SortItems(interp, l, PyOps.Truthy(args.Get(-1, "reverse", false)), true, null);
                l.Clear();
                l.AddRange(sorted);
                return null;
            default: return SequenceMethod(l, name, args);
        }
    }

    private static object? DictMethod(PyDict d, string name, CallArgs args)
    {
        switch (name)
        {
            case "get":
                return d.TryGetValue(args.Get(0, "key"), out var v) ? v : args.Get(1, "default");
            case "items":
                return new PyView("dict_items", d.Select(kv => (object?)new PyTuple([kv.Key, kv.Value])).ToList());
            case "keys": return new PyView("dict_keys", d.Keys.ToList());
            case "values": return new PyView("dict_values", d.Values.ToList());
            case "copy": return d.Copy();
            case "pop":
                var key = args.Get(0, "key");
                if (d.TryGetValue(key, out var pv))
                {
                    d.Remove(key);
                    return pv;
                }
                return args.Has(1, "default") ? args.Get(1, "default") : throw new TemplateException($"KeyError: {PyFormat.Repr(key)}");
            case "popitem":
                if (d.Count == 0) throw new TemplateException("KeyError: 'popitem(): dictionary is empty'");
                var last = d.Last();
                d.Remove(last.Key);
                return new PyTuple([last.Key, last.Value]);
            case "setdefault":
                var k = args.Get(0, "key");
                if (d.TryGetValue(k, out var existing)) return existing;
                d.Set(k, args.Get(1, "default"));
                return args.Get(1, "default");
            case "update":
                if (args.Count > 0)
                {
                    if (args.Positional[0] is PyDict other)
                        foreach (var kv in other) d.Set(kv.Key, kv.Value);
                    else
                        foreach (var pair in PyOps.Iterate(args.Positional[0]))
                        {
                            var kvp = PyOps.ToList(pair);
                            d.Set(kvp[0], kvp[1]);
                        }
                }
                foreach (var kv in args.Keywords) d.Set(kv.Key, kv.Value);
                return null;
            case "clear": d.Clear(); return null;
            default: throw PyOps.TypeError($"unknown method {name}");
        }
    }
}

using Baimo.Templates.Runtime;

namespace Baimo.Templates.Builtins;

/// <summary>The global functions every template sees: range, dict, namespace, raise_exception, strftime_now...</summary>
internal static class Globals
{
    private const int MaxRange = 100_000;

    public static Scope Create()
    {
        var scope = new Scope(null);
        scope.Set("range", new BuiltinFunction("range", Range));
        scope.Set("dict", new BuiltinFunction("dict", Dict));
        scope.Set("namespace", new BuiltinFunction("namespace", Namespace));
        scope.Set("raise_exception", new BuiltinFunction("raise_exception", (_, a) =>
            throw new TemplateRaisedException(PyFormat.Str(a.Get(0, "message", "")))));
        scope.Set("strftime_now", new BuiltinFunction("strftime_now", (i, a) =>
            Strftime.Format((i.Options.Now ?? (() => DateTime.Now))(), PyFormat.Str(a.Get(0, "format")))));
        scope.Set("cycler", new BuiltinFunction("cycler", Cycler));
        scope.Set("joiner", new BuiltinFunction("joiner", Joiner));
        return scope;
    }

    private static object? Range(Interpreter interp, CallArgs a)
    {
        long start = 0, stop, step = 1;
        switch (a.Count)
        {
            case 1: stop = PyOps.Int(a.Positional[0], "range"); break;
            case 2: start = PyOps.Int(a.Positional[0], "range"); stop = PyOps.Int(a.Positional[1], "range"); break;
            case 3:
                start = PyOps.Int(a.Positional[0], "range");
                stop = PyOps.Int(a.Positional[1], "range");
                step = PyOps.Int(a.Positional[2], "range");
                break;
            default: throw PyOps.TypeError($"range expected 1 to 3 arguments, got {a.Count}");
        }
        if (step == 0) throw new TemplateException("ValueError: range() arg 3 must not be zero");
        var count = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
        if (count > MaxRange)
            throw new TemplateException($"OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        var list = new List<object?>((int)count);
        for (long i = 0; i < count; i++) list.Add(start + i * step);
        return list;
    }

    private static PyDict FromArgs(CallArgs a)
    {
        var d = new PyDict();
        if (a.Count > 1) throw PyOps.TypeError($"dict expected at most 1 argument, got {a.Count}");
        if (a.Count == 1)
        {
            if (a.Positional[0] is PyDict src)
                foreach (var kv in src) d.Set(kv.Key, kv.Value);
            else
                foreach (var pair in PyOps.Iterate(a.Positional[0]))
                {
                    var kv = PyOps.ToList(pair);
                    if (kv.Count != 2) throw new TemplateException("ValueError: dictionary update sequence element has wrong length");
                    d.Set(kv[0], kv[1]);
                }
        }
        foreach (var kv in a.Keywords) d.Set(kv.Key, kv.Value);
        return d;
    }

    private static object? Dict(Interpreter interp, CallArgs a) => FromArgs(a);

    private static object? Namespace(Interpreter interp, CallArgs a)
    {
        var ns = new PyNamespace();
        foreach (var kv in FromArgs(a))
            ns.Attributes[PyOps.TryString(kv.Key, out var k) ? k : throw PyOps.TypeError("keywords must be strings")] = kv.Value;
        return ns;
    }

    private static object? Cycler(Interpreter interp, CallArgs a)
    {
        var items = a.Positional.ToArray();
        if (items.Length == 0) throw PyOps.TypeError("at least one item has to be provided");
        var ns = new PyNamespace();
        var pos = 0;
        ns.Attributes["next"] = new BuiltinFunction("next", (_, _) =>
        {
            var v = items[pos];
            pos = (pos + 1) % items.Length;
            ns.Attributes["current"] = items[pos];
            return v;
        });
        ns.Attributes["reset"] = new BuiltinFunction("reset", (_, _) =>
        {
            pos = 0;
            ns.Attributes["current"] = items[0];
            return null;
        });
        ns.Attributes["current"] = items[0];
        return ns;
    }

    private static object? Joiner(Interpreter interp, CallArgs a)
    {
        var sep = PyFormat.Str(a.Get(0, "sep", ", "));
        var used = false;
        return new BuiltinFunction("joiner", (_, _) =>
        {
            if (used) return sep;
            used = true;
            return "";
        });
    }
}

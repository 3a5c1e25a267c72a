using Baimo.Templates.Runtime;

namespace Baimo.Templates.Builtins;

/// <summary>Jinja2's built-in tests (<c>x is defined</c>, <c>x is divisibleby 3</c>...).</summary>
internal static class Tests
{
    private delegate bool Test(Interpreter interp, object? value, CallArgs args);

    private static object? Arg(CallArgs a) =>
        a.Count > 0 ? a.Positional[0] : a.Keywords.Count > 0 ? a.Keywords[0].Value : throw PyOps.TypeError("test requires an argument");

    private static readonly Dictionary<string, Test> Table = new(StringComparer.Ordinal)
    {
        ["defined"] = (_, v, _) => v is not Undefined,
        ["undefined"] = (_, v, _) => v is Undefined,
        ["none"] = (_, v, _) => v is null,
        ["boolean"] = (_, v, _) => v is bool,
        ["true"] = (_, v, _) => v is true,
        ["false"] = (_, v, _) => v is false,
        ["integer"] = (_, v, _) => v is long,
        ["float"] = (_, v, _) => v is double,
        ["number"] = (_, v, _) => v is long or double or bool,
        ["string"] = (_, v, _) => v is string or Markup,
        ["mapping"] = (_, v, _) => v is PyDict,
        ["iterable"] = (_, v, _) => PyOps.IsIterable(v),
        ["sequence"] = (_, v, _) => v is string or Markup or List<object?> or PyTuple or PyDict or Undefined,
        ["callable"] = (_, v, _) => v is ICallable or LoopContext { Recurse: not null },
        ["escaped"] = (_, v, _) => v is Markup,
        ["lower"] = (_, v, _) => PyFormat.Str(v) is var s && s.Any(char.IsLetter) && !s.Any(char.IsUpper),
        ["upper"] = (_, v, _) => PyFormat.Str(v) is var s && s.Any(char.IsLetter) && !s.Any(char.IsLower),
        ["even"] = (i, v, _) => PyOps.AreEqual(PyArithmetic.Binary("%", v, 2L, i.Options.MaxOutputLength), 0L),
        ["odd"] = (i, v, _) => PyOps.AreEqual(PyArithmetic.Binary("%", v, 2L, i.Options.MaxOutputLength), 1L),
        ["divisibleby"] = (i, v, a) => PyOps.AreEqual(PyArithmetic.Binary("%", v, Arg(a), i.Options.MaxOutputLength), 0L),
        ["sameas"] = (_, v, a) => SameAs(v, Arg(a)),
        ["eq"] = (_, v, a) => PyOps.AreEqual(v, Arg(a)),
        ["equalto"] = (_, v, a) => PyOps.AreEqual(v, Arg(a)),
        ["=="] = (_, v, a) => PyOps.AreEqual(v, Arg(a)),
        ["ne"] = (_, v, a) => !PyOps.AreEqual(v, Arg(a)),
        ["!="] = (_, v, a) => !PyOps.AreEqual(v, Arg(a)),
        ["lt"] = (_, v, a) => PyOps.Compare(v, Arg(a), "<") < 0,
        ["lessthan"] = (_, v, a) => PyOps.Compare(v, Arg(a), "<") < 0,
        ["<"] = (_, v, a) => PyOps.Compare(v, Arg(a), "<") < 0,
        ["le"] = (_, v, a) => PyOps.Compare(v, Arg(a), "<=") <= 0,
        ["<="] = (_, v, a) => PyOps.Compare(v, Arg(a), "<=") <= 0,
        ["gt"] = (_, v, a) => PyOps.Compare(v, Arg(a), ">") > 0,
        ["greaterthan"] = (_, v, a) => PyOps.Compare(v, Arg(a), ">") > 0,
        [">"] = (_, v, a) => PyOps.Compare(v, Arg(a), ">") > 0,
        ["ge"] = (_, v, a) => PyOps.Compare(v, Arg(a), ">=") >= 0,
        [">="] = (_, v, a) => PyOps.Compare(v, Arg(a), ">=") >= 0,
        ["in"] = (_, v, a) => PyOps.Contains(Arg(a), v),
        ["filter"] = (_, v, _) => PyOps.TryString(v, out var s) && Filters.Exists(s),
        ["test"] = (_, v, _) => PyOps.TryString(v, out var s) && Exists(s),
    };

    private static bool SameAs(object? a, object? b) => a switch
    {
        null => b is null,
        bool x => b is bool y && x == y,
        long x => b is long y && x == y && x is >= -5 and <= 256,
        _ => ReferenceEquals(a, b),
    };

    public static bool Exists(string name) => Table.ContainsKey(name);

    public static bool Apply(Interpreter interp, string name, object? value, CallArgs args)
    {
        if (!Table.TryGetValue(name, out var test))
            throw new TemplateException($"TemplateAssertionError: No test named '{name}'.");
        return test(interp, value, args);
    }
}

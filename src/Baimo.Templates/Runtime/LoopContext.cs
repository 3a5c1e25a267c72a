namespace Baimo.Templates.Runtime;

/// <summary>The <c>loop</c> variable of a for loop.</summary>
internal sealed class LoopContext(List<object?> items, int depth0, Func<object?, string>? recurse)
{
    private object? _lastChanged = Undefined.Anonymous;

    public int Index0 { get; set; }
    public int Index => Index0 + 1;
    public int Length => items.Count;
    public int Depth0 { get; } = depth0;
    public Func<object?, string>? Recurse { get; } = recurse;

    public object? Get(string name) => name switch
    {
        "index" => (long)Index,
        "index0" => (long)Index0,
        "revindex" => (long)(Length - Index0),
        "revindex0" => (long)(Length - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == Length - 1,
        "length" => (long)Length,
        "depth" => (long)(Depth0 + 1),
        "depth0" => (long)Depth0,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new Undefined("there is no previous item"),
        "nextitem" => Index0 + 1 < Length ? items[Index0 + 1] : new Undefined("there is no next item"),
        "cycle" => new BuiltinFunction("cycle", (_, args) =>
            args.Count == 0 ? throw PyOps.TypeError("no items for cycling given") : args.Positional[Index0 % args.Count]),
        "changed" => new BuiltinFunction("changed", (_, args) =>
        {
            var value = new PyTuple(args.Positional.ToArray());
            if (PyOps.AreEqual(value, _lastChanged)) return false;
            _lastChanged = value;
            return true;
        }),
        _ => new Undefined($"'LoopContext object' has no attribute '{name}'"),
    };
}

namespace Baimo.Generation.Constraints;

/// <summary>Compile-time checks that keep the automaton's invariants.</summary>
internal static class GrammarChecks
{
    /// <summary>
    /// A schema such as {"anyOf": [{"$ref": "#"}, …]} refers to itself before reading any byte; starting such a
    /// value would recurse forever, so it is refused when compiled.
    /// </summary>
    public static void RejectUnguardedCycles(RootNode root)
    {
        var seen = new HashSet<SchemaNode>(ReferenceEqualityComparer.Instance);
        var work = new Stack<SchemaNode>();
        work.Push(root.Value);
        while (work.Count > 0)
        {
            var node = work.Pop();
            if (!seen.Add(node)) continue;
            if (node is UnionNode or RefNode) CheckFrom(node, new HashSet<SchemaNode>(ReferenceEqualityComparer.Instance));
            foreach (var child in Children(node)) work.Push(child);
        }
    }

    private static void CheckFrom(SchemaNode node, HashSet<SchemaNode> path)
    {
        if (!path.Add(node)) throw new ArgumentException("the schema refers to itself without any JSON text in between (e.g. anyOf containing its own $ref)");
        if (node is UnionNode u) foreach (var alt in u.Alternatives) CheckFrom(alt, path);
        else if (node is RefNode r) CheckFrom(r.Target!, path);
        path.Remove(node);
    }

    private static IEnumerable<SchemaNode> Children(SchemaNode node) => node switch
    {
        ObjectNode o => o.Properties.Select(p => p.Value).Concat(o.Additional is { } a ? [a] : []),
        ArrayNode a => a.Prefix.Concat(a.Items is { } i ? [i] : []),
        UnionNode u => u.Alternatives,
        RefNode r => [r.Target!],
        _ => [],
    };
}

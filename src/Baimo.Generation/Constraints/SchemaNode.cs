namespace Baimo.Generation.Constraints;

/// <summary>What a grammar node describes; the automaton switches on it rather than calling virtual methods,
/// because it runs once per trie node per step.</summary>
internal enum NodeKind : byte
{
    Root,
    Object,
    Array,
    String,
    Number,
    Literal,
    Union,
    Ref,
}

/// <summary>
/// One element of the compiled grammar: a JSON value shape. Nodes form a graph (a <see cref="RefNode"/> may
/// point back to an ancestor for recursive schemas) and are immutable once compiled, so one grammar can be
/// shared by any number of constraints.
/// </summary>
internal abstract class SchemaNode(NodeKind kind)
{
    public readonly NodeKind Kind = kind;
}

/// <summary>The whole output: bounded leading whitespace, one value, then nothing.</summary>
internal sealed class RootNode : SchemaNode
{
    public readonly SchemaNode Value;

    /// <summary>The frame every completed top-level value returns to (shared: it never changes).</summary>
    public readonly Frame DoneFrame;

    public RootNode(SchemaNode value) : base(NodeKind.Root)
    {
        Value = value;
        DoneFrame = new Frame(this, JsonAutomaton.RootDone, 0, 0, 0, null);
    }
}

/// <summary>One declared property: its key as JSON text without the opening quote but with the closing one.</summary>
internal sealed record PropertySpec(string Name, byte[] KeyTail, SchemaNode Value, bool Required);

/// <summary>
/// An object whose declared properties appear in declaration order (required ones mandatory, optional ones
/// skippable), followed by any number of other properties when <see cref="Additional"/> is not null.
/// A fixed order keeps the automaton deterministic enough to be fast and is still valid JSON for the schema.
/// </summary>
internal sealed class ObjectNode(PropertySpec[] properties, SchemaNode? additional, int minProperties = 0, int maxProperties = int.MaxValue)
    : SchemaNode(NodeKind.Object)
{
    public readonly PropertySpec[] Properties = properties;
    public readonly SchemaNode? Additional = additional;
    public readonly int MinProperties = minProperties;
    public readonly int MaxProperties = maxProperties;

    /// <summary>FirstRequiredFrom[i]: index of the first required property at or after i (Properties.Length if none).</summary>
    public readonly int[] FirstRequiredFrom = BuildFirstRequired(properties);

    /// <summary>RequiredFrom[i]: how many required properties there are at or after index i.</summary>
    public readonly int[] RequiredFrom = BuildRequiredCount(properties);

    private static int[] BuildRequiredCount(PropertySpec[] props)
    {
        var r = new int[props.Length + 1];
        for (int i = props.Length - 1; i >= 0; i--) r[i] = r[i + 1] + (props[i].Required ? 1 : 0);
        return r;
    }

    /// <summary>The key of an additional property: any string but a declared name.</summary>
    public readonly StringNode AdditionalKey = properties.Length == 0 ? AnyKey
        : new StringNode(0, int.MaxValue, new KeyExclusion(properties.Select(p => p.Name)));

    private static readonly StringNode AnyKey = new(0, int.MaxValue);

    private static int[] BuildFirstRequired(PropertySpec[] props)
    {
        var r = new int[props.Length + 1];
        r[props.Length] = props.Length;
        for (int i = props.Length - 1; i >= 0; i--) r[i] = props[i].Required ? i : r[i + 1];
        return r;
    }
}

/// <summary>An array: item i follows <see cref="Prefix"/>[i] while there is one, then <see cref="Items"/>
/// (null: no further items).</summary>
internal sealed class ArrayNode(SchemaNode[] prefix, SchemaNode? items, int minItems, int maxItems) : SchemaNode(NodeKind.Array)
{
    public readonly SchemaNode[] Prefix = prefix;
    public readonly SchemaNode? Items = items;
    public readonly int MinItems = minItems;
    public readonly int MaxItems = maxItems;

    public SchemaNode? ItemAt(int index) => index < Prefix.Length ? Prefix[index] : Items;
}

/// <summary>
/// A string of MinLength..MaxLength code points (escapes count as the character they stand for). With
/// <see cref="Excluded"/>, a key that must not equal any of those names: escapes are then refused, so that
/// no name can be spelled in a way the check would miss.
/// </summary>
internal sealed class StringNode(int minLength, int maxLength, KeyExclusion? excluded = null) : SchemaNode(NodeKind.String)
{
    public readonly int MinLength = minLength;
    public readonly int MaxLength = maxLength;
    public readonly KeyExclusion? Excluded = excluded;
}

/// <summary>A JSON number; <see cref="Integer"/> forbids fraction and exponent, <see cref="NonNegative"/> the minus sign.</summary>
internal sealed class NumberNode(bool integer, bool nonNegative = false) : SchemaNode(NodeKind.Number)
{
    public readonly bool Integer = integer;
    public readonly bool NonNegative = nonNegative;
}

/// <summary>Exact JSON text: true, false, null, an enum member or a const.</summary>
internal sealed class LiteralNode(byte[] text) : SchemaNode(NodeKind.Literal)
{
    public readonly byte[] Text = text;
}

/// <summary>Any one of the alternatives (anyOf, oneOf, enum, type arrays).</summary>
internal sealed class UnionNode(SchemaNode[] alternatives) : SchemaNode(NodeKind.Union)
{
    public readonly SchemaNode[] Alternatives = alternatives;
}

/// <summary>A forward reference, filled in once its target is compiled (recursive $ref).</summary>
internal sealed class RefNode() : SchemaNode(NodeKind.Ref)
{
    public SchemaNode? Target;
}

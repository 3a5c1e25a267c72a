namespace Baimo.Generation.Constraints;

/// <summary>
/// A saved stack frame of the JSON automaton: where to resume in an enclosing node once the value inside it
/// completes. Frames are immutable and shared, so many parse threads (and every trie branch explored while
/// masking) can point at the same parent without copying the stack.
/// </summary>
internal sealed class Frame(SchemaNode node, int phase, int a, int b, int c, Frame? up)
{
    public readonly SchemaNode Node = node;
    public readonly int Phase = phase;
    public readonly int A = a;
    public readonly int B = b;
    public readonly int C = c;
    public readonly Frame? Up = up;
}

/// <summary>
/// One parse thread: the innermost node and its position held by value, the rest of the stack by reference.
/// Most bytes (string characters, digits, whitespace) only change the top, so stepping allocates nothing.
/// The meaning of Phase, A, B and C depends on the node kind (see <see cref="JsonAutomaton"/>); the struct is
/// 32 bytes.
/// </summary>
internal readonly struct Cursor(SchemaNode node, int phase, int a, int b, Frame? up, int c = 0)
{
    public readonly SchemaNode Node = node;
    public readonly int Phase = phase;
    public readonly int A = a;
    public readonly int B = b;
    public readonly int C = c;
    public readonly Frame? Up = up;

    /// <summary>Resumes the enclosing node.</summary>
    public static Cursor Pop(Frame up) => new(up.Node, up.Phase, up.A, up.B, up.Up, up.C);

    public bool SameAs(in Cursor o) =>
        ReferenceEquals(Node, o.Node) && Phase == o.Phase && A == o.A && B == o.B && C == o.C && ReferenceEquals(Up, o.Up);
}

/// <summary>A reusable, growable list of parse threads; the automaton appends to it.</summary>
internal sealed class CursorList
{
    /// <summary>A safety bound on ambiguity: extra threads are dropped, which can only narrow (never widen) what
    /// is allowed, so output stays valid.</summary>
    public const int MaxThreads = 128;

    public Cursor[] Items = new Cursor[4];
    public int Count;

    public void Clear() => Count = 0;

    public void Add(in Cursor c)
    {
        if (Count == Items.Length)
        {
            if (Count >= MaxThreads) return;
            Array.Resize(ref Items, Count * 2);
        }
        Items[Count++] = c;
    }

    public void CopyFrom(CursorList other)
    {
        if (Items.Length < other.Count) Items = new Cursor[other.Items.Length];
        Array.Copy(other.Items, Items, other.Count);
        Count = other.Count;
    }

    /// <summary>Removes exact duplicates (threads that reached the same place by different routes).</summary>
    public void Dedup()
    {
        if (Count < 2) return;
        int n = 0;
        for (int i = 0; i < Count; i++)
        {
            bool dup = false;
            for (int j = 0; j < n && !dup; j++) dup = Items[j].SameAs(Items[i]);
            if (!dup) Items[n++] = Items[i];
        }
        Count = n;
    }
}

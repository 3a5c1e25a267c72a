namespace Baimo.Generation.Constraints;

/// <summary>
/// The declared property names of an object as a byte trie, so a free (additional) key can be kept from
/// spelling one of them: that property was either already written or skipped, and repeating it under the
/// additional-properties schema would be a duplicate key or a value of the wrong shape.
/// States are trie nodes; −1 means the key has diverged from every name.
/// </summary>
internal sealed class KeyExclusion
{
    private readonly Dictionary<int, int> _edges = [];   // (state << 8 | byte) → state
    private readonly List<bool> _isName = [false];       // [state]

    public KeyExclusion(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            int state = 0;
            foreach (byte b in System.Text.Encoding.UTF8.GetBytes(name))
            {
                if (!_edges.TryGetValue(state << 8 | b, out int next))
                {
                    next = _isName.Count;
                    _isName.Add(false);
                    _edges[state << 8 | b] = next;
                }
                state = next;
            }
            _isName[state] = true;
        }
    }

    public const int Root = 0;

    public int Next(int state, byte b) => state >= 0 && _edges.TryGetValue(state << 8 | b, out int next) ? next : -1;

    public bool IsName(int state) => state >= 0 && _isName[state];
}

using Baimo.Tokenizers;

namespace Baimo.Generation.Constraints;

/// <summary>
/// The byte pieces of a vocabulary as a trie laid out in preorder, so masking is one forward scan: a node's
/// parent state is always the last state computed one level up, and a byte the automaton refuses skips the
/// node's whole subtree (<see cref="End"/>). Immutable, so shared by every constraint.
/// </summary>
internal sealed class TokenTrie
{
    /// <summary>Byte of each node (the last byte of the prefix it stands for).</summary>
    public readonly byte[] Bytes;
    /// <summary>Depth of each node (prefix length, ≥ 1).</summary>
    public readonly int[] Depth;
    /// <summary>Index just past each node's subtree.</summary>
    public readonly int[] End;
    /// <summary>Tokens whose piece ends at node i: Tokens[TokenStart[i] .. TokenStart[i + 1]).</summary>
    public readonly int[] TokenStart;
    public readonly int[] Tokens;
    public readonly int MaxDepth;
    public int NodeCount => Bytes.Length;

    private TokenTrie(List<(byte[] Piece, int Id)> entries)
    {
        entries.Sort((x, y) => x.Piece.AsSpan().SequenceCompareTo(y.Piece) is var c && c != 0 ? c : x.Id.CompareTo(y.Id));
        var bytes = new List<byte>();
        var depth = new List<int>();
        var tokenStart = new List<int>();
        var tokens = new int[entries.Count];
        byte[] prev = [];
        for (int t = 0; t < entries.Count; t++)
        {
            var p = entries[t].Piece;
            int common = p.AsSpan().CommonPrefixLength(prev);
            for (int k = common; k < p.Length; k++)
            {
                bytes.Add(p[k]);
                depth.Add(k + 1);
                tokenStart.Add(t);
            }
            tokens[t] = entries[t].Id;
            prev = p;
            MaxDepth = Math.Max(MaxDepth, p.Length);
        }
        tokenStart.Add(entries.Count);
        Bytes = [.. bytes];
        Depth = [.. depth];
        TokenStart = [.. tokenStart];
        Tokens = tokens;
        End = new int[Bytes.Length];
        var open = new Stack<int>();
        for (int i = 0; i < Bytes.Length; i++)
        {
            while (open.Count > 0 && Depth[open.Peek()] >= Depth[i]) End[open.Pop()] = i;
            open.Push(i);
        }
        while (open.Count > 0) End[open.Pop()] = Bytes.Length;
    }

    /// <summary>
    /// The trie of the tokens of <paramref name="tokenizer"/> whose piece passes <paramref name="include"/>.
    /// Control and unknown tokens (rendered as nothing in the output) and empty pieces are always left out, so a
    /// constraint never allows a token that makes no progress.
    /// </summary>
    public static TokenTrie Build(Tokenizer tokenizer, Func<byte[], bool> include)
    {
        var list = new List<(byte[], int)>(tokenizer.VocabSize);
        for (int id = 0; id < tokenizer.VocabSize; id++)
        {
            if (tokenizer.IsControl(id)) continue;
            var piece = tokenizer.TokenToPiece(id);
            if (piece.Length > 0 && include(piece)) list.Add((piece, id));
        }
        return new TokenTrie(list);
    }
}

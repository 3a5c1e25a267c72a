using Baimo.Tokenizers;

namespace Baimo.Generation.Constraints;

/// <summary>
/// An <see cref="ITokenConstraint"/> that allows exactly the tokens whose bytes keep the output a prefix of
/// some JSON text accepted by a compiled grammar. Not thread-safe: one instance per sequence.
/// </summary>
internal sealed class GrammarConstraint : ITokenConstraint
{
    private readonly Tokenizer _tokenizer;
    private readonly VocabIndex _vocab;
    private CursorList _current = new();
    private CursorList _scratchA = new(), _scratchB = new();
    private readonly CursorList _inText = new(), _other = new();
    private readonly CursorList[] _levels;   // [max piece length + 1]: the threads after each prefix depth
    private readonly bool[] _allowed;        // [vocab]
    private readonly byte[] _piece = new byte[256];
    private bool _ended;

    public GrammarConstraint(Tokenizer tokenizer, RootNode root)
    {
        _tokenizer = tokenizer;
        _vocab = VocabIndex.For(tokenizer);
        _current.Add(JsonAutomaton.Initial(root));
        _levels = new CursorList[_vocab.All.MaxDepth + 1];
        for (int i = 0; i < _levels.Length; i++) _levels[i] = new CursorList();
        _allowed = new bool[_vocab.VocabSize];
    }

    /// <summary>The live parse threads (for tests that check masking against a token-by-token reference).</summary>
    internal CursorList Threads => _current;

    /// <summary>True once the value is closed and nothing more may follow (or an end token was accepted).</summary>
    public bool IsComplete
    {
        get
        {
            if (_ended) return true;
            for (int i = 0; i < _current.Count; i++)
                if (!JsonAutomaton.IsDone(_current.Items[i])) return false;
            return _current.Count > 0;
        }
    }

    /// <summary>True when the output so far could end here (end-of-generation tokens are allowed).</summary>
    public bool CanEnd
    {
        get
        {
            for (int i = 0; i < _current.Count; i++)
                if (JsonAutomaton.CanEnd(_current.Items[i])) return true;
            return false;
        }
    }

    public void Mask(Span<float> logits)
    {
        if (logits.Length < _vocab.VocabSize)
            throw new ArgumentException($"logits has {logits.Length} entries but the vocabulary has {_vocab.VocabSize}", nameof(logits));
        ComputeAllowed();
        var allowed = _allowed;
        for (int i = 0; i < allowed.Length; i++)
            if (!allowed[i]) logits[i] = float.NegativeInfinity;
        // Padding rows beyond the vocabulary (some models round the output up) are never valid.
        logits[allowed.Length..].Fill(float.NegativeInfinity);
    }

    /// <summary>Fills and returns the per-token allowed flags for the current position.</summary>
    internal bool[] ComputeAllowed()
    {
        Array.Clear(_allowed);
        if (_ended) return _allowed;
        // Whether a token is allowed is the OR over threads, so the threads are split: those in plain string
        // text take every plain token that fits wholesale and only walk the special tokens; the rest walk all.
        var inText = _inText;
        var other = _other;
        inText.Clear();
        other.Clear();
        long room = -1;
        for (int k = 0; k < _current.Count; k++)
        {
            ref readonly var c = ref _current.Items[k];
            if (c.Node is StringNode s && c.B == 0)
            {
                inText.Add(c);
                room = Math.Max(room, (long)s.MaxLength - c.A);
            }
            else other.Add(c);
        }
        if (inText.Count > 0)
        {
            var ids = _vocab.PlainIds;
            var lengths = _vocab.PlainLengths;
            for (int i = 0; i < ids.Length && lengths[i] <= room; i++) _allowed[ids[i]] = true;
            Walk(_vocab.Special, inText);
        }
        if (other.Count > 0) Walk(_vocab.All, other);
        if (CanEnd)
            foreach (int id in _vocab.EndOfGeneration) _allowed[id] = true;
        return _allowed;
    }

    /// <summary>Runs the automaton down the trie in preorder, skipping every subtree whose first byte fails.</summary>
    private void Walk(TokenTrie trie, CursorList start)
    {
        _levels[0].CopyFrom(start);
        var bytes = trie.Bytes;
        var depth = trie.Depth;
        var end = trie.End;
        var tokenStart = trie.TokenStart;
        var tokens = trie.Tokens;
        int n = trie.NodeCount;
        for (int i = 0; i < n;)
        {
            int d = depth[i];
            var src = _levels[d - 1];
            var dst = _levels[d];
            dst.Clear();
            byte b = bytes[i];
            for (int k = 0; k < src.Count; k++) JsonAutomaton.Step(src.Items[k], b, dst);
            if (dst.Count == 0)
            {
                i = end[i];
                continue;
            }
            dst.Dedup();
            for (int t = tokenStart[i]; t < tokenStart[i + 1]; t++) _allowed[tokens[t]] = true;
            i++;
        }
    }

    public void Accept(int tokenId)
    {
        if ((uint)tokenId >= (uint)_vocab.VocabSize) throw new ArgumentOutOfRangeException(nameof(tokenId), tokenId, "not a token of the vocabulary");
        if (_tokenizer.IsEndOfGeneration(tokenId))
        {
            if (!CanEnd) throw new InvalidOperationException($"end-of-generation token {tokenId} accepted before the JSON value is complete");
            _ended = true;
            return;
        }
        if (_tokenizer.IsControl(tokenId)) throw new InvalidOperationException($"control token {tokenId} is not allowed inside JSON output");
        int len = _tokenizer.TokenToPiece(tokenId, _piece);
        var piece = len >= 0 ? _piece.AsSpan(0, len) : _tokenizer.TokenToPiece(tokenId);
        if (!TryAdvance(piece))
            throw new InvalidOperationException($"token {tokenId} ({System.Text.Encoding.UTF8.GetString(piece)}) does not continue valid JSON here");
    }

    /// <summary>Feeds raw bytes; on failure the state is left unchanged and false is returned.</summary>
    internal bool TryAdvance(ReadOnlySpan<byte> bytes)
    {
        if (_ended) return bytes.IsEmpty;
        var src = _current;
        foreach (byte b in bytes)
        {
            var dst = ReferenceEquals(src, _scratchA) ? _scratchB : _scratchA;
            dst.Clear();
            for (int k = 0; k < src.Count; k++) JsonAutomaton.Step(src.Items[k], b, dst);
            if (dst.Count == 0) return false;
            dst.Dedup();
            src = dst;
        }
        if (!ReferenceEquals(src, _current))
        {
            // Swap the final list in as current; the old current becomes scratch.
            var old = _current;
            _current = src;
            if (ReferenceEquals(src, _scratchA)) _scratchA = old; else _scratchB = old;
        }
        return true;
    }
}

using Baimo.Tokenizers.Internal;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Baimo.Tokenizers.Models;

/// <summary>
/// Byte-level BPE over one pre-tokenized word: start from one symbol per byte, repeatedly merge the adjacent pair
/// with the lowest merge rank (leftmost first on ties), then map each symbol to its token.
/// </summary>
internal sealed class BpeModel
{
    private readonly Vocab _vocab;
    private readonly bool _ignoreMerges;
    /// <summary>(left id, right id) → rank.</summary>
    private readonly Dictionary<long, int> _ranks;
    /// <summary>Rank → id of the merged token (-1 when the merged text is not a token).</summary>
    private readonly int[] _mergeResult;
    /// <summary>Merges whose parts are not both tokens, keyed by "left right" text.</summary>
    private readonly Dictionary<string, int>? _textRanks;

    private readonly ConcurrentDictionary<byte[], int[]> _cache = new(ByteArrayComparer.Instance);
    private readonly ConcurrentDictionary<byte[], int[]>.AlternateLookup<ReadOnlySpan<byte>> _cacheLookup;
    private const int CacheLimit = 1 << 17;
    private const int CacheMaxWordBytes = 64;

    public BpeModel(Vocab vocab, List<(string Left, string Right)> merges)
    {
        _vocab = vocab;
        _ignoreMerges = vocab.IgnoreMerges;
        _ranks = new Dictionary<long, int>(merges.Count);
        _mergeResult = new int[merges.Count];
        byte[] buf = new byte[256];
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (l, r) = merges[rank];
            int need = Encoding.UTF8.GetMaxByteCount(l.Length + r.Length);
            if (buf.Length < need) buf = new byte[need];
            int ln = Encoding.UTF8.GetBytes(l, buf);
            int rn = Encoding.UTF8.GetBytes(r, buf.AsSpan(ln));
            int li = vocab.Map.Find(buf.AsSpan(0, ln)), ri = vocab.Map.Find(buf.AsSpan(ln, rn));
            _mergeResult[rank] = vocab.Map.Find(buf.AsSpan(0, ln + rn));
            if (li >= 0 && ri >= 0)
            {
                _ranks.TryAdd(Key(li, ri), rank); // the first (lowest) rank wins for duplicates
            }
            else
            {
                _textRanks ??= new Dictionary<string, int>(StringComparer.Ordinal);
                _textRanks.TryAdd(l + " " + r, rank);
            }
        }
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private struct Symbol
    {
        public int Start;  // byte offset in the byte-level text
        public int Length; // bytes (0 = merged away)
        public int Prev, Next;
        public int Id;     // token id of the symbol's text, -1 if none
    }

    /// <summary>Lowest merge rank first, then leftmost.</summary>
    private struct BigramOrder : IHeapOrder<Bigram>
    {
        public static bool Before(in Bigram a, in Bigram b) => a.Rank < b.Rank || (a.Rank == b.Rank && a.Left < b.Left);
    }

    private struct Bigram
    {
        public int Rank, Left, Right, Size;
    }

    /// <summary>Per-thread working memory.</summary>
    private sealed class Scratch
    {
        public readonly ByteBuffer Text = new(256);
        public Symbol[] Symbols = new Symbol[64];
        public readonly BinaryHeap<Bigram, BigramOrder> Heap = new();
        public readonly List<int> Out = new(32);
    }

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>Encodes one word given as raw UTF-8 bytes.</summary>
    public void EncodeWord(ReadOnlySpan<byte> raw, List<int> output)
    {
        if (raw.IsEmpty) return;
        bool cacheable = raw.Length <= CacheMaxWordBytes;
        if (cacheable && _cacheLookup.TryGetValue(raw, out int[]? cached))
        {
            output.AddRange(cached);
            return;
        }
        var s = t_scratch ??= new Scratch();
        s.Out.Clear();
        EncodeUncached(raw, s, s.Out);
        output.AddRange(s.Out);
        if (cacheable)
        {
            if (_cache.Count >= CacheLimit) _cache.Clear();
            _cacheLookup.TryAdd(raw, s.Out.ToArray());
        }
    }

    private void EncodeUncached(ReadOnlySpan<byte> raw, Scratch s, List<int> output)
    {
        ByteBuffer text = s.Text;
        text.Clear();
        ByteLevel.Encode(raw, text);

        if (_ignoreMerges)
        {
            int whole = _vocab.Map.Find(text.Span);
            if (whole >= 0) { output.Add(whole); return; }
        }

        int n = raw.Length;
        if (s.Symbols.Length < n) s.Symbols = new Symbol[Math.Max(n, s.Symbols.Length * 2)];
        Symbol[] sym = s.Symbols;
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            int len = ByteLevel.ByteToUtf8[raw[i]].Length;
            sym[i] = new Symbol { Start = offset, Length = len, Prev = i - 1, Next = i + 1 < n ? i + 1 : -1, Id = _vocab.ByteTokens[raw[i]] };
            offset += len;
        }

        s.Heap.Clear();
        for (int i = 1; i < n; i++) TryAddBigram(s, i - 1, i);

        ReadOnlySpan<byte> bytes = text.Span;
        while (s.Heap.Count > 0)
        {
            Bigram b = s.Heap.Pop();
            ref Symbol left = ref sym[b.Left];
            ref Symbol right = ref sym[b.Right];
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != b.Size || left.Next != b.Right) continue;

            left.Length += right.Length;
            left.Id = _mergeResult[b.Rank];
            if (left.Id < 0) left.Id = _vocab.Map.Find(bytes.Slice(left.Start, left.Length));
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0) sym[right.Next].Prev = b.Left;

            TryAddBigram(s, left.Prev, b.Left);
            TryAddBigram(s, b.Left, left.Next);
        }

        for (int i = 0; i != -1; i = sym[i].Next)
        {
            ref Symbol x = ref sym[i];
            if (x.Length == 0) continue;
            if (x.Id >= 0) { output.Add(x.Id); continue; }
            // not a token: fall back to single bytes of the text that are tokens themselves
            ReadOnlySpan<byte> t = bytes.Slice(x.Start, x.Length);
            for (int k = 0; k < t.Length; k++)
            {
                int id = _vocab.Map.Find(t.Slice(k, 1));
                if (id >= 0) output.Add(id);
            }
        }
    }

    private void TryAddBigram(Scratch s, int left, int right)
    {
        if (left < 0 || right < 0) return;
        Symbol[] sym = s.Symbols;
        ref Symbol l = ref sym[left];
        ref Symbol r = ref sym[right];
        int rank;
        if (l.Id >= 0 && r.Id >= 0)
        {
            if (!_ranks.TryGetValue(Key(l.Id, r.Id), out rank)) return;
        }
        else
        {
            if (_textRanks is null) return;
            ReadOnlySpan<byte> bytes = s.Text.Span;
            string key = Encoding.UTF8.GetString(bytes.Slice(l.Start, l.Length)) + " " + Encoding.UTF8.GetString(bytes.Slice(r.Start, r.Length));
            if (!_textRanks.TryGetValue(key, out rank)) return;
        }
        s.Heap.Push(new Bigram { Rank = rank, Left = left, Right = right, Size = l.Length + r.Length });
    }
}

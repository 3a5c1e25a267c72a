using Baimo.Tokenizers.Unicode;

namespace Baimo.Tokenizers.Models;

/// <summary>
/// SentencePiece-style merging: start from one symbol per UTF-8 character, repeatedly merge the adjacent pair whose
/// concatenation is the highest-scoring token (leftmost first on ties); leftovers become byte tokens.
/// </summary>
internal sealed class SpmModel(Vocab vocab)
{
    private struct Symbol
    {
        public int Start, Length, Prev, Next;
    }

    private struct Bigram
    {
        public float Score;
        public int Left, Right, Size;
    }

    private sealed class Scratch
    {
        public Symbol[] Symbols = new Symbol[64];
        public Bigram[] Heap = new Bigram[64];
        public int HeapCount;
    }

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>Encodes text whose spaces are already escaped as U+2581.</summary>
    public void Encode(ReadOnlySpan<byte> text, List<int> output)
    {
        if (text.IsEmpty) return;
        var s = t_scratch ??= new Scratch();
        if (s.Symbols.Length < text.Length) s.Symbols = new Symbol[Math.Max(text.Length, s.Symbols.Length * 2)];
        Symbol[] sym = s.Symbols;
        int count = 0;
        int offs = 0;
        while (offs < text.Length)
        {
            int len = Math.Min(Cpt.Utf8LengthFromLead(text[offs]), text.Length - offs);
            sym[count] = new Symbol { Start = offs, Length = len, Prev = count - 1, Next = offs + len == text.Length ? -1 : count + 1 };
            offs += len;
            count++;
        }

        s.HeapCount = 0;
        for (int i = 1; i < count; i++) TryAddBigram(s, text, i - 1, i);

        while (s.HeapCount > 0)
        {
            Bigram b = Pop(s);
            ref Symbol left = ref sym[b.Left];
            ref Symbol right = ref sym[b.Right];
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != b.Size) continue;

            left.Length += right.Length;
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0) sym[right.Next].Prev = b.Left;

            TryAddBigram(s, text, left.Prev, b.Left);
            TryAddBigram(s, text, b.Left, left.Next);
        }

        for (int i = 0; i != -1; i = sym[i].Next)
        {
            ref Symbol x = ref sym[i];
            ReadOnlySpan<byte> piece = text.Slice(x.Start, x.Length);
            int id = vocab.Map.Find(piece);
            if (id >= 0) { output.Add(id); continue; }
            foreach (byte b in piece)
            {
                int bt = vocab.ByteTokens[b];
                output.Add(bt >= 0 ? bt : vocab.Unk);
            }
        }
    }

    private void TryAddBigram(Scratch s, ReadOnlySpan<byte> text, int left, int right)
    {
        if (left < 0 || right < 0) return;
        Symbol[] sym = s.Symbols;
        int size = sym[left].Length + sym[right].Length;
        int id = vocab.Map.Find(text.Slice(sym[left].Start, size));
        if (id < 0) return;
        Push(s, new Bigram { Score = vocab.Scores[id], Left = left, Right = right, Size = size });
    }

    // max-heap on score, then min on left
    private static bool Before(in Bigram a, in Bigram b) => a.Score > b.Score || (a.Score == b.Score && a.Left < b.Left);

    private static void Push(Scratch s, Bigram b)
    {
        if (s.HeapCount == s.Heap.Length) Array.Resize(ref s.Heap, s.Heap.Length * 2);
        Bigram[] h = s.Heap;
        int i = s.HeapCount++;
        while (i > 0)
        {
            int p = (i - 1) >> 1;
            if (!Before(b, h[p])) break;
            h[i] = h[p];
            i = p;
        }
        h[i] = b;
    }

    private static Bigram Pop(Scratch s)
    {
        Bigram[] h = s.Heap;
        Bigram top = h[0];
        Bigram last = h[--s.HeapCount];
        int n = s.HeapCount;
        int i = 0;
        while (true)
        {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && Before(h[c + 1], h[c])) c++;
            if (!Before(h[c], last)) break;
            h[i] = h[c];
            i = c;
        }
        if (n > 0) h[i] = last;
        return top;
    }
}

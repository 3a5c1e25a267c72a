using Baimo.Tokenizers.Internal;
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

    /// <summary>Highest score first, then leftmost.</summary>
    private struct BigramOrder : IHeapOrder<Bigram>
    {
        public static bool Before(in Bigram a, in Bigram b) => a.Score > b.Score || (a.Score == b.Score && a.Left < b.Left);
    }

    private struct Bigram
    {
        public float Score;
        public int Left, Right, Size;
    }

    private sealed class Scratch
    {
        public Symbol[] Symbols = new Symbol[64];
        public readonly BinaryHeap<Bigram, BigramOrder> Heap = new();
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

        s.Heap.Clear();
        for (int i = 1; i < count; i++) TryAddBigram(s, text, i - 1, i);

        while (s.Heap.Count > 0)
        {
            Bigram b = s.Heap.Pop();
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
        s.Heap.Push(new Bigram { Score = vocab.Scores[id], Left = left, Right = right, Size = size });
    }
}

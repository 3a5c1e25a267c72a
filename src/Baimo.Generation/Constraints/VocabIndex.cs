using System.Runtime.CompilerServices;
using Baimo.Tokenizers;

namespace Baimo.Generation.Constraints;

/// <summary>
/// Everything masking needs to know about a vocabulary, computed once per tokenizer instance.
/// Inside a JSON string most of the vocabulary is allowed, and walking a 150k-token trie byte by byte there
/// would dominate; so tokens that are plain string text (whole UTF-8 characters, no quote, backslash or
/// control byte) are listed with their length in code points, and only the rest go into <see cref="Special"/>.
/// </summary>
internal sealed class VocabIndex
{
    private static readonly ConditionalWeakTable<Tokenizer, VocabIndex> Cache = new();

    public readonly int VocabSize;
    /// <summary>Every token that produces text.</summary>
    public readonly TokenTrie All;
    /// <summary>The tokens that are not plain string text.</summary>
    public readonly TokenTrie Special;
    /// <summary>Plain string-text tokens and their length in code points, shortest first.</summary>
    public readonly int[] PlainIds;
    public readonly int[] PlainLengths;
    public readonly int[] EndOfGeneration;

    private VocabIndex(Tokenizer tokenizer)
    {
        VocabSize = tokenizer.VocabSize;
        All = TokenTrie.Build(tokenizer, _ => true);
        Special = TokenTrie.Build(tokenizer, p => PlainLength(p) < 0);
        var plain = new List<(int Length, int Id)>();
        for (int id = 0; id < tokenizer.VocabSize; id++)
        {
            if (tokenizer.IsControl(id)) continue;
            var piece = tokenizer.TokenToPiece(id);
            int len = piece.Length == 0 ? -1 : PlainLength(piece);
            if (len > 0) plain.Add((len, id));
        }
        plain.Sort();
        PlainIds = plain.Select(x => x.Id).ToArray();
        PlainLengths = plain.Select(x => x.Length).ToArray();
        EndOfGeneration = [.. tokenizer.EndOfGenerationIds.Where(id => id >= 0 && id < VocabSize).Order()];
    }

    public static VocabIndex For(Tokenizer tokenizer) => Cache.GetValue(tokenizer, t => new VocabIndex(t));

    /// <summary>Code points in <paramref name="piece"/> if it is plain string text, else −1.</summary>
    public static int PlainLength(ReadOnlySpan<byte> piece)
    {
        int count = 0;
        for (int i = 0; i < piece.Length; count++)
        {
            byte b = piece[i];
            if (b < 0x80)
            {
                if (b < 0x20 || b == '"' || b == '\\') return -1;
                i++;
                continue;
            }
            // Strict decoding (no overlongs, surrogates or > U+10FFFF), matching what the automaton accepts.
            if (System.Text.Rune.DecodeFromUtf8(piece[i..], out _, out int used) != System.Buffers.OperationStatus.Done) return -1;
            i += used;
        }
        return count;
    }
}

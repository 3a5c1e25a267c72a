using Baimo.Tokenizers.Unicode;

namespace Baimo.Tokenizers.Models;

/// <summary>
/// BERT WordPiece as the reference runs it on GGUF vocabularies (word starts carry a ▁ prefix, continuations have
/// none): accents stripped to the first NFD code point, lowercased, split on whitespace, punctuation, ASCII symbols
/// and CJK ideographs; each word is covered greedily by the longest tokens, else it becomes [UNK].
/// </summary>
internal sealed class WordPieceModel(Vocab vocab)
{
    private sealed class Scratch
    {
        public readonly List<int> Cpts = new(256);
        public readonly ByteBuffer Word = new(64);
    }

    [ThreadStatic] private static Scratch? t_scratch;

    public void Encode(ReadOnlySpan<byte> text, List<int> output)
    {
        var s = t_scratch ??= new Scratch();
        Cpt.DecodeUtf8(text, s.Cpts);
        ByteBuffer word = s.Word;
        word.Clear();
        word.Append("\u2581"u8);
        const int prefix = 3;

        foreach (int raw in s.Cpts)
        {
            int cp = Cpt.NfdFirst(raw);
            byte f = Cpt.Flags(cp);
            if ((f & Cpt.Whitespace) != 0)
            {
                Flush(word, output);
                continue;
            }
            if (cp == 0 || cp == 0xFFFD || (f & Cpt.Control) != 0) continue;

            int lower = Cpt.ToLower(cp);
            if ((f & Cpt.Punctuation) != 0 || (cp < 0x7F && (f & Cpt.Symbol) != 0) || IsChinese(cp))
            {
                Flush(word, output);
                Cpt.AppendUtf8(lower, word);
                Flush(word, output);
            }
            else
            {
                Cpt.AppendUtf8(lower, word);
            }
        }
        Flush(word, output);

        void Flush(ByteBuffer w, List<int> o)
        {
            if (w.Length > prefix) EncodeWord(w.Span, o);
            w.SetLength(prefix);
        }
    }

    private void EncodeWord(ReadOnlySpan<byte> word, List<int> output)
    {
        int n = word.Length;
        int before = output.Count;
        for (int i = 0; i < n; i++)
        {
            bool match = false;
            for (int j = Math.Min(n, i + vocab.MaxTokenLength + 1); j > i; j--)
            {
                int id = vocab.Map.Find(word.Slice(i, j - i));
                if (id >= 0)
                {
                    output.Add(id);
                    match = true;
                    i = j - 1;
                    break;
                }
            }
            if (!match)
            {
                output.RemoveRange(before, output.Count - before);
                break;
            }
        }
        if (output.Count == before) output.Add(vocab.Unk);
    }

    private static bool IsChinese(int cp) =>
        (cp >= 0x4E00 && cp <= 0x9FFF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x20000 && cp <= 0x2A6DF) ||
        (cp >= 0x2A700 && cp <= 0x2B73F) ||
        (cp >= 0x2B740 && cp <= 0x2B81F) ||
        (cp >= 0x2B920 && cp <= 0x2CEAF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0x2F800 && cp <= 0x2FA1F);
}

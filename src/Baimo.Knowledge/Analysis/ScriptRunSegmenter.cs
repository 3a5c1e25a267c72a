namespace Baimo.Knowledge.Analysis;

/// <summary>
/// The segmenter used when ICU cannot start: runs of letters and digits are words, and every CJK character is a
/// token of its own. It needs no dictionary; recall for Chinese comes from the character bigrams
/// <see cref="TextAnalyzer"/> adds over CJK runs, which this segmenter's output supports exactly like ICU's.
/// </summary>
public sealed class ScriptRunSegmenter : IWordSegmenter
{
    public string Name => "script-runs";

    public IReadOnlyList<Token> Segment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (CjkChars.IsCjk(c)) { tokens.Add(new Token(text.Substring(i, 1), i, 1)); i++; continue; }
            if (!CjkChars.IsWordChar(c)) { i++; continue; }
            int start = i;
            while (i < text.Length && IsInWord(text, i)) i++;
            tokens.Add(new Token(text.Substring(start, i - start), start, i - start));
        }
        return tokens;
    }

    // A '.', ',' or '\'' between two word characters stays inside the word ("3.14", "1,000", "don't"), as in UAX #29.
    private static bool IsInWord(string s, int i)
    {
        if (CjkChars.IsWordChar(s[i])) return true;
        return s[i] is '.' or ',' or '\'' && i + 1 < s.Length && CjkChars.IsWordChar(s[i + 1]) && i > 0 && CjkChars.IsWordChar(s[i - 1]);
    }
}

namespace Baimo.Knowledge.Chunking;

/// <summary>
/// Splits text into sentences for Chinese (。！？；…) and English (. ! ? followed by a space). A sentence keeps
/// its terminator and any closing quote or bracket after it; ranges cover the text without gaps.
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> s_abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "fig", "no", "inc", "ltd", "jr", "sr",
    };

    /// <summary>Sentence ranges (start, length) relative to <paramref name="text"/>, in order, covering all of it.</summary>
    public static List<(int Start, int Length)> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!IsBoundaryAfter(text, i)) continue;
            int end = i + 1;
            // Keep repeated terminators, closing quotes and brackets with the sentence they close ("好！”").
            while (end < text.Length && IsCloser(text[end])) end++;
            // Whitespace after the terminator belongs to the finished sentence so the next one starts on a character.
            while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            result.Add((start, end - start));
            start = end;
            i = end - 1;
        }
        if (start < text.Length) result.Add((start, text.Length - start));
        return result;
    }

    private static bool IsCloser(char c) => c is '”' or '’' or '"' or '\'' or '）' or ')' or '」' or '』' or '】' or '》' or ']'
        or '。' or '！' or '？' or '!' or '?' or '…';

    private static bool IsBoundaryAfter(string s, int i)
    {
        char c = s[i];
        switch (c)
        {
            case '。' or '！' or '？' or '；' or '\n':
                return true;
            case '…':
                return i + 1 < s.Length && s[i + 1] != '…';
            case '!' or '?' or ';':
                return i + 1 == s.Length || char.IsWhiteSpace(s[i + 1]) || IsCloser(s[i + 1]);
            case '.':
                // "3.14", "e.g." and "Dr. Li" are not ends of sentences; ". " followed by more text usually is.
                if (i + 1 < s.Length && !char.IsWhiteSpace(s[i + 1]) && !IsCloser(s[i + 1])) return false;
                return !IsAbbreviation(s, i);
            default:
                return false;
        }
    }

    private static bool IsAbbreviation(string s, int dot)
    {
        int b = dot;
        while (b > 0 && (char.IsLetter(s[b - 1]) || s[b - 1] == '.')) b--;
        var word = s.AsSpan(b, dot - b);
        if (word.Length == 1 && char.IsUpper(word[0])) return true; // an initial: "J. Smith"
        return word.Length > 0 && s_abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }
}

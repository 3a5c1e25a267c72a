namespace Baimo.Knowledge.Analysis;

/// <summary>Character classes the segmenter, the token estimate and the bigram indexer agree on.</summary>
public static class CjkChars
{
    /// <summary>Han ideographs (BMP blocks), kana and Hangul syllables: scripts written without spaces between words.</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u4E00' and <= '\u9FFF'   // CJK unified ideographs
          or >= '\u3400' and <= '\u4DBF'   // extension A
          or >= '\uF900' and <= '\uFAFF'   // compatibility ideographs
          or >= '\u3040' and <= '\u30FF'   // hiragana, katakana
          or >= '\uAC00' and <= '\uD7AF';  // Hangul syllables

    /// <summary>True for characters that can be part of a word of a space-separated script (letters, digits, marks).</summary>
    public static bool IsWordChar(char c) => !IsCjk(c) && (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is
        System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark);
}

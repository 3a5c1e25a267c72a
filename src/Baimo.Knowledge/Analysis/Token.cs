namespace Baimo.Knowledge.Analysis;

/// <summary>One word found by a segmenter: its text and where it sits in the segmented string.</summary>
public readonly record struct Token(string Text, int Start, int Length)
{
    /// <summary>True when the word is written in a script without spaces (Han, kana, Hangul).</summary>
    public bool IsCjk => Text.Length > 0 && CjkChars.IsCjk(Text[0]);
}

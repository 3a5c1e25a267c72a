namespace Baimo.Knowledge.Analysis;

/// <summary>
/// Folds text into the form both the index and the queries are built from: full-width ASCII to half-width,
/// traditional Chinese to simplified, upper to lower case. Every character maps to exactly one character, so an
/// offset into the normalised text is the same offset into the original and hits can point back at the source.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Returns the folded text; its length always equals the input's.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, text, static (dest, src) =>
        {
            for (int i = 0; i < src.Length; i++) dest[i] = Fold(src[i]);
        });
    }

    /// <summary>Folds one UTF-16 code unit; surrogates pass through unchanged.</summary>
    public static char Fold(char c)
    {
        if (c < 0x80) return c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
        // Full-width forms of printable ASCII sit at a fixed distance from ASCII; the ideographic space maps to space.
        if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
        else if (c == '\u3000') return ' ';
        if (c < 0x80) return c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
        if (c is >= '\u3400' and <= '\u9FFF') return ChineseVariants.ToSimplified(c);
        // ToLowerInvariant never changes the length of a BMP character, which keeps offsets aligned.
        return char.IsSurrogate(c) ? c : char.ToLowerInvariant(c);
    }
}

using System.Globalization;
using System.Text;

namespace Baimo.Tokenizers.Unicode;

/// <summary>
/// Code point classification and UTF-8 helpers with the exact conventions the reference tokenizer uses:
/// general-category flags (\p{L}, \p{N}, \p{P}, \p{S}, \p{M}, \p{Z}, \p{C}), a fixed White_Space set,
/// lenient UTF-8 decoding (an invalid byte becomes U+FFFD and decoding resumes at the next byte),
/// simple lowercase mapping and "first code point of NFD" accent stripping.
/// </summary>
internal static class Cpt
{
    public const byte Letter = 1;
    public const byte Number = 2;
    public const byte Punctuation = 4;
    public const byte Symbol = 8;
    public const byte Mark = 16;
    public const byte Separator = 32;
    public const byte Control = 64;
    public const byte Whitespace = 128;

    public const int MaxCodepoint = 0x10FFFF;
    public const int Replacement = 0xFFFD;

    private static readonly byte[] s_flags = BuildFlags();

    private static byte[] BuildFlags()
    {
        var flags = new byte[MaxCodepoint + 1];
        for (int cp = 0; cp <= MaxCodepoint; cp++)
        {
            flags[cp] = CharUnicodeInfo.GetUnicodeCategory(cp) switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Letter,
                UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Number,
                UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                    or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                    or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => Punctuation,
                UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                    or UnicodeCategory.OtherSymbol => Symbol,
                UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Mark,
                UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => Separator,
                UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate => Control,
                _ => 0, // unassigned
            };
        }
        // White_Space (PropList.txt)
        for (int cp = 0x09; cp <= 0x0D; cp++) flags[cp] |= Whitespace;
        for (int cp = 0x2000; cp <= 0x200A; cp++) flags[cp] |= Whitespace;
        foreach (int cp in (ReadOnlySpan<int>)[0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])
            flags[cp] |= Whitespace;
        return flags;
    }

    /// <summary>Flags of a code point; 0 for values outside the Unicode range.</summary>
    public static byte Flags(int cp) => (uint)cp <= MaxCodepoint ? s_flags[cp] : (byte)0;

    public static bool IsLetter(int cp) => (Flags(cp) & Letter) != 0;
    public static bool IsNumber(int cp) => (Flags(cp) & Number) != 0;
    public static bool IsWhitespace(int cp) => (Flags(cp) & Whitespace) != 0;

    /// <summary>
    /// One-character stand-in used when a pattern with \p{..} classes runs on a "collapsed" text: ASCII stays,
    /// other whitespace becomes \v, other code points become a marker character per category.
    /// </summary>
    public static char Collapse(int cp)
    {
        if ((uint)cp < 128) return (char)cp;
        byte f = Flags(cp);
        if ((f & Whitespace) != 0) return '\v';
        return (f & 0x7F) switch
        {
            Number => CollapsedNumber,
            Letter => CollapsedLetter,
            Punctuation => CollapsedPunctuation,
            Mark => CollapsedMark,
            Symbol => CollapsedSymbol,
            _ => CollapsedOther,
        };
    }

    public const char CollapsedOther = '\u00D0';
    public const char CollapsedNumber = '\u00D1';
    public const char CollapsedLetter = '\u00D2';
    public const char CollapsedPunctuation = '\u00D3';
    public const char CollapsedMark = '\u00D4';
    public const char CollapsedSymbol = '\u00D5';

    /// <summary>Simple (one-to-one) lowercase mapping.</summary>
    public static int ToLower(int cp)
    {
        if ((uint)cp < 128) return cp is >= 'A' and <= 'Z' ? cp + 32 : cp;
        if (cp == 0x130) return 'i';
        if (!Rune.IsValid(cp)) return cp;
        return Rune.ToLowerInvariant(new Rune(cp)).Value;
    }

    /// <summary>First code point of the canonical decomposition (accent stripping as the reference does it).</summary>
    public static int NfdFirst(int cp)
    {
        if (cp < 0xC0) return cp;
        ReadOnlySpan<int> r = NfdData.Ranges;
        int lo = 0, hi = r.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int first = r[mid * 3], last = r[mid * 3 + 1];
            if (cp < first) hi = mid - 1;
            else if (cp > last) lo = mid + 1;
            else return r[mid * 3 + 2];
        }
        return cp;
    }

    /// <summary>Byte length of a UTF-8 sequence judged by its first byte only (continuation bytes count as 1).</summary>
    public static int Utf8LengthFromLead(byte b) => (b >> 4) switch
    {
        < 12 => 1,
        12 or 13 => 2,
        14 => 3,
        _ => 4,
    };

    /// <summary>
    /// Decodes one code point at <paramref name="offset"/>. Sequences are checked for length and continuation bytes
    /// only; a malformed sequence yields U+FFFD and consumes one byte.
    /// </summary>
    public static int DecodeUtf8(ReadOnlySpan<byte> s, ref int offset)
    {
        int i = offset;
        byte b0 = s[i];
        if (b0 < 0x80) { offset = i + 1; return b0; }
        if ((b0 & 0x40) == 0) { offset = i + 1; return Replacement; }
        if ((b0 & 0x20) == 0)
        {
            if (i + 1 >= s.Length || (s[i + 1] & 0xC0) != 0x80) { offset = i + 1; return Replacement; }
            offset = i + 2;
            return ((b0 & 0x1F) << 6) | (s[i + 1] & 0x3F);
        }
        if ((b0 & 0x10) == 0)
        {
            if (i + 2 >= s.Length || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) { offset = i + 1; return Replacement; }
            offset = i + 3;
            return ((b0 & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        }
        if ((b0 & 0x08) == 0)
        {
            if (i + 3 >= s.Length || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
            { offset = i + 1; return Replacement; }
            offset = i + 4;
            int cp = ((b0 & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
            return cp <= MaxCodepoint ? cp : Replacement; // beyond Unicode: cannot be re-encoded
        }
        offset = i + 1;
        return Replacement;
    }

    /// <summary>Decodes a whole buffer into <paramref name="cpts"/> (cleared first).</summary>
    public static void DecodeUtf8(ReadOnlySpan<byte> s, List<int> cpts)
    {
        cpts.Clear();
        int offset = 0;
        while (offset < s.Length) cpts.Add(DecodeUtf8(s, ref offset));
    }

    /// <summary>Appends the UTF-8 encoding of <paramref name="cp"/> (surrogate code points are encoded as-is).</summary>
    public static int EncodeUtf8(int cp, Span<byte> dst)
    {
        if (cp < 0x80) { dst[0] = (byte)cp; return 1; }
        if (cp < 0x800) { dst[0] = (byte)(0xC0 | (cp >> 6)); dst[1] = (byte)(0x80 | (cp & 0x3F)); return 2; }
        if (cp < 0x10000)
        {
            dst[0] = (byte)(0xE0 | (cp >> 12)); dst[1] = (byte)(0x80 | ((cp >> 6) & 0x3F)); dst[2] = (byte)(0x80 | (cp & 0x3F));
            return 3;
        }
        dst[0] = (byte)(0xF0 | (cp >> 18)); dst[1] = (byte)(0x80 | ((cp >> 12) & 0x3F));
        dst[2] = (byte)(0x80 | ((cp >> 6) & 0x3F)); dst[3] = (byte)(0x80 | (cp & 0x3F));
        return 4;
    }

    public static void AppendUtf8(int cp, ByteBuffer dst)
    {
        Span<byte> tmp = stackalloc byte[4];
        int n = EncodeUtf8(cp, tmp);
        dst.Append(tmp[..n]);
    }

    public static bool IsAsciiSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
}

using System.Globalization;
using System.Text;
using Baimo.Tokenizers.Unicode;

namespace Baimo.Tokenizers.PreTokenization;

/// <summary>Rewrites tokenizer split patterns into .NET patterns that behave like the reference's std::regex use.</summary>
internal static class RegexTranslation
{
    /// <summary>
    /// For patterns with \p{..} classes: each class becomes its marker character plus its ASCII members, so that the
    /// pattern can run on the collapsed text (one char per code point).
    /// </summary>
    public static string Collapse(string pattern)
    {
        foreach (char ch in pattern)
            if (ch >= 128) throw new NotSupportedException("split pattern mixes Unicode categories with non-ASCII characters: " + pattern);

        var sb = new StringBuilder(pattern.Length * 2);
        bool inside = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char ch = pattern[i];
            if (ch == '[' && (i == 0 || pattern[i - 1] != '\\'))
            {
                sb.Append('[');
                inside = true;
                continue;
            }
            if (inside && ch == ']' && pattern[i - 1] != '\\')
            {
                sb.Append(']');
                inside = false;
                continue;
            }
            if (ch == '\\' && i + 4 < pattern.Length && pattern[i + 1] == 'p' && pattern[i + 2] == '{' && pattern[i + 4] == '}')
            {
                string? members = pattern[i + 3] switch
                {
                    'N' => Cpt.CollapsedNumber + "0-9",
                    'L' => Cpt.CollapsedLetter + "A-Za-z",
                    'P' => Cpt.CollapsedPunctuation + "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}",
                    'M' => Cpt.CollapsedMark.ToString(),
                    'S' => Cpt.CollapsedSymbol + "\\$\\+<->\\^`\\|",
                    _ => null,
                };
                if (members is not null)
                {
                    if (!inside) sb.Append('[');
                    sb.Append(members);
                    if (!inside) sb.Append(']');
                    i += 4;
                    continue;
                }
            }
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>
    /// For patterns without categories (run on UTF-16 text): character classes holding supplementary code points are
    /// rewritten as alternations over surrogate pairs.
    /// </summary>
    public static string Wide(string pattern)
    {
        bool hasSupplementary = false;
        foreach (char ch in pattern) if (char.IsSurrogate(ch)) hasSupplementary = true;
        if (!hasSupplementary) return pattern;

        var sb = new StringBuilder(pattern.Length * 2);
        int i = 0;
        while (i < pattern.Length)
        {
            char ch = pattern[i];
            if (ch == '\\' && i + 1 < pattern.Length) { sb.Append(ch).Append(pattern[i + 1]); i += 2; continue; }
            if (ch != '[') { sb.Append(ch); i++; continue; }

            // parse a class
            int j = i + 1;
            bool negated = j < pattern.Length && pattern[j] == '^';
            if (negated) j++;
            var bmp = new StringBuilder();
            var ranges = new List<(int Lo, int Hi)>();
            while (j < pattern.Length && pattern[j] != ']')
            {
                string item;
                int lo;
                if (pattern[j] == '\\' && j + 1 < pattern.Length)
                {
                    item = pattern.Substring(j, 2);
                    lo = -1;
                    j += 2;
                }
                else
                {
                    lo = char.ConvertToUtf32(pattern, j);
                    item = char.ConvertFromUtf32(lo);
                    j += item.Length;
                }
                if (lo >= 0 && j + 1 < pattern.Length && pattern[j] == '-' && pattern[j + 1] != ']')
                {
                    int hi = char.ConvertToUtf32(pattern, j + 1);
                    j += 1 + char.ConvertFromUtf32(hi).Length;
                    ranges.Add((lo, hi));
                }
                else if (lo >= 0) ranges.Add((lo, lo));
                else bmp.Append(item);
            }
            if (negated) throw new NotSupportedException("negated class with supplementary characters in split pattern: " + pattern);

            var alts = new List<string>();
            foreach (var (lo, hi) in ranges)
            {
                if (lo <= 0xFFFF)
                {
                    int h = Math.Min(hi, 0xFFFF);
                    bmp.Append(Esc(lo));
                    if (h > lo) bmp.Append('-').Append(Esc(h));
                }
                if (hi > 0xFFFF)
                {
                    int a = Math.Max(lo, 0x10000);
                    for (int hs = HighOf(a); hs <= HighOf(hi); hs++)
                    {
                        int lowFrom = hs == HighOf(a) ? LowOf(a) : 0xDC00;
                        int lowTo = hs == HighOf(hi) ? LowOf(hi) : 0xDFFF;
                        alts.Add(Esc(hs) + "[" + Esc(lowFrom) + "-" + Esc(lowTo) + "]");
                    }
                }
            }
            sb.Append("(?:");
            if (bmp.Length > 0) { sb.Append('[').Append(bmp).Append(']'); if (alts.Count > 0) sb.Append('|'); }
            sb.Append(string.Join("|", alts));
            sb.Append(')');
            i = j + 1;
        }
        return sb.ToString();

        static int HighOf(int cp) => 0xD800 + ((cp - 0x10000) >> 10);
        static int LowOf(int cp) => 0xDC00 + ((cp - 0x10000) & 0x3FF);
        static string Esc(int c) => "\\u" + c.ToString("X4", CultureInfo.InvariantCulture);
    }

    /// <summary>ECMAScript <c>$</c> (no multiline) only matches at the very end: use <c>\z</c>.</summary>
    public static string EndAnchors(string pattern)
    {
        if (!pattern.Contains('$')) return pattern;
        var sb = new StringBuilder(pattern.Length + 4);
        bool inside = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char ch = pattern[i];
            if (ch == '\\' && i + 1 < pattern.Length) { sb.Append(ch).Append(pattern[i + 1]); i++; continue; }
            if (ch == '[') inside = true;
            else if (ch == ']') inside = false;
            if (ch == '$' && !inside) { sb.Append("\\z"); continue; }
            sb.Append(ch);
        }
        return sb.ToString();
    }
}

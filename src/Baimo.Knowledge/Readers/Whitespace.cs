using System.Text;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// Whitespace rules every reader shares, so the same sentence extracted from a PDF, a DOCX or an HTML page yields
/// the same text (and the same chunks, the same BM25 terms).
/// </summary>
public static class Whitespace
{
    /// <summary>
    /// Collapses every run of whitespace (including NBSP, ideographic space and line breaks) to one space and trims.
    /// A line break between two CJK characters disappears instead: Chinese is written without spaces, and a
    /// space there would split words for the segmenter and show up in answers.
    /// </summary>
    public static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (IsInvisible(c)) { i++; continue; }
            if (!IsSpace(c)) { sb.Append(c); i++; continue; }
            bool lineBreak = false;
            while (i < text.Length && (IsSpace(text[i]) || IsInvisible(text[i])))
            {
                if (text[i] is '\n' or '\r') lineBreak = true;
                i++;
            }
            if (sb.Length == 0 || i >= text.Length) continue; // leading or trailing run
            if (lineBreak && IsCjk(sb[^1]) && IsCjk(text[i])) continue;
            sb.Append(' ');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Preformatted text keeps its lines and indentation; only line endings are unified, trailing spaces cut,
    /// and blank lines at the ends dropped. Runs of blank lines shrink to one so a code block never contains
    /// the "\n\n\n" that would look like two block separators.
    /// </summary>
    public static string Preformatted(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var sb = new StringBuilder(text.Length);
        bool pendingBlank = false;
        foreach (var raw in lines)
        {
            var line = StripInvisible(raw).Replace('\u00A0', ' ').TrimEnd();
            if (line.Length == 0) { pendingBlank = sb.Length > 0; continue; }
            if (sb.Length > 0) sb.Append(pendingBlank ? "\n\n" : "\n");
            pendingBlank = false;
            sb.Append(line);
        }
        return sb.ToString();
    }

    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c == '\u00A0' || c == '\u3000';

    /// <summary>Zero-width characters and control codes carry no text; left in, they break term matching.</summary>
    static bool IsInvisible(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD'
        || (char.IsControl(c) && !char.IsWhiteSpace(c));

    static string StripInvisible(string s)
    {
        if (!s.Any(IsInvisible)) return s;
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) if (!IsInvisible(c) || c == '\t') sb.Append(c);
        return sb.ToString();
    }

    /// <summary>Han ideographs, kana, Hangul and full-width punctuation: scripts written without word spaces.</summary>
    public static bool IsCjk(char c) =>
        (c >= '\u2E80' && c <= '\u9FFF')      // radicals, CJK punctuation, kana, unified ideographs
        || (c >= '\uAC00' && c <= '\uD7AF')   // Hangul syllables
        || (c >= '\uF900' && c <= '\uFAFF')   // compatibility ideographs
        || (c >= '\uFF00' && c <= '\uFFEF');  // full-width forms (，。：)
}

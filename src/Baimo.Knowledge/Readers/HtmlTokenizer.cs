namespace Baimo.Knowledge.Readers;

enum HtmlTokenKind { Text, StartTag, EndTag }

/// <param name="Kind">Text, start tag or end tag.</param>
/// <param name="Value">Raw (undecoded) text, or the lower-case tag name.</param>
/// <param name="SelfClosing">A start tag written "&lt;x/&gt;".</param>
readonly record struct HtmlToken(HtmlTokenKind Kind, string Value, bool SelfClosing = false);

/// <summary>
/// A forgiving HTML tokenizer: it never fails. Comments, doctypes and processing instructions vanish, attributes
/// are skipped (quotes respected, so a "&gt;" inside a value does not end the tag), a "&lt;" that starts no tag is
/// text, and the bodies of script, style, textarea and title are raw text up to their end tag.
/// </summary>
static class HtmlTokenizer
{
    static readonly HashSet<string> RawText = ["script", "style", "textarea", "title", "xmp", "noscript", "template"];

    public static IEnumerable<HtmlToken> Tokenize(string html)
    {
        int i = 0, textStart = 0;
        while (i < html.Length)
        {
            if (html[i] != '<' || i + 1 >= html.Length) { i++; continue; }
            char next = html[i + 1];
            int end;
            HtmlToken? token = null;
            if (next == '!' && string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                int close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                end = close < 0 ? html.Length : close + 3;
            }
            else if (next is '!' or '?')
            {
                int close = html.IndexOf('>', i + 2);
                end = close < 0 ? html.Length : close + 1;
            }
            else if (next == '/' && i + 2 < html.Length && char.IsAsciiLetter(html[i + 2]))
            {
                var name = ReadName(html, i + 2);
                end = SkipAttributes(html, i + 2 + name.Length, out _);
                token = new HtmlToken(HtmlTokenKind.EndTag, name);
            }
            else if (char.IsAsciiLetter(next))
            {
                var name = ReadName(html, i + 1);
                end = SkipAttributes(html, i + 1 + name.Length, out bool selfClosing);
                token = new HtmlToken(HtmlTokenKind.StartTag, name, selfClosing);
            }
            else { i++; continue; } // a lone "<" is text

            if (i > textStart) yield return new HtmlToken(HtmlTokenKind.Text, html[textStart..i]);
            if (token is { } t)
            {
                yield return t;
                if (t.Kind == HtmlTokenKind.StartTag && !t.SelfClosing && RawText.Contains(t.Value))
                {
                    int close = html.IndexOf("</" + t.Value, end, StringComparison.OrdinalIgnoreCase);
                    int bodyEnd = close < 0 ? html.Length : close;
                    if (bodyEnd > end) yield return new HtmlToken(HtmlTokenKind.Text, html[end..bodyEnd]);
                    yield return new HtmlToken(HtmlTokenKind.EndTag, t.Value);
                    end = close < 0 ? html.Length : SkipAttributes(html, close + 2 + t.Value.Length, out _);
                }
            }
            i = textStart = end;
        }
        if (textStart < html.Length) yield return new HtmlToken(HtmlTokenKind.Text, html[textStart..]);
    }

    static string ReadName(string html, int start)
    {
        int j = start;
        while (j < html.Length && (char.IsAsciiLetterOrDigit(html[j]) || html[j] is '-' or ':' or '_')) j++;
        return html[start..j].ToLowerInvariant();
    }

    /// <summary>Returns the index just after the tag's closing "&gt;" (or the end of input).</summary>
    static int SkipAttributes(string html, int j, out bool selfClosing)
    {
        selfClosing = false;
        char quote = '\0';
        for (; j < html.Length; j++)
        {
            char c = html[j];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') quote = c;
            else if (c == '>')
            {
                selfClosing = j > 0 && html[j - 1] == '/';
                return j + 1;
            }
        }
        return html.Length;
    }
}

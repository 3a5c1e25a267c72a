using System.Text.RegularExpressions;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// Removes inline Markdown syntax so the index sees the words a reader sees: link and image text stay,
/// URLs, emphasis markers and backticks go.
/// </summary>
static partial class MarkdownInline
{
    public static string Strip(string text)
    {
        var s = Image().Replace(text, "$1");
        s = Link().Replace(s, "$1");
        s = RefLink().Replace(s, "$1");
        s = AutoLink().Replace(s, "$1");
        s = CodeSpan().Replace(s, "$2");
        s = Strong().Replace(s, "$2");
        s = Emphasis().Replace(s, "$2");
        s = Strike().Replace(s, "$1");
        s = HtmlBreak().Replace(s, " ");
        s = HtmlTag().Replace(s, "");
        s = Escape().Replace(s, "$1");
        return System.Net.WebUtility.HtmlDecode(s);
    }

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")] private static partial Regex Image();
    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")] private static partial Regex Link();
    [GeneratedRegex(@"\[([^\]]+)\]\[[^\]]*\]")] private static partial Regex RefLink();
    [GeneratedRegex(@"<((?:https?|mailto|ftp):[^>\s]+)>")] private static partial Regex AutoLink();
    [GeneratedRegex(@"(`+)(.+?)\1")] private static partial Regex CodeSpan();
    [GeneratedRegex(@"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")] private static partial Regex Strong();
    // Underscore emphasis only at word edges, so snake_case identifiers survive.
    [GeneratedRegex(@"(\*|(?<![\w])_)(?=\S)(.+?)(?<=\S)(?:\*|_(?![\w]))")] private static partial Regex Emphasis();
    [GeneratedRegex(@"~~(.+?)~~")] private static partial Regex Strike();
    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)] private static partial Regex HtmlBreak();
    [GeneratedRegex(@"</?[a-zA-Z][^<>]*>")] private static partial Regex HtmlTag();
    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!|>~])")] private static partial Regex Escape();
}

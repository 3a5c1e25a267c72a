using System.Text.RegularExpressions;
using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .md: a line-oriented reader for the CommonMark constructs that carry structure — ATX and setext headings,
/// nested bullet and numbered lists, pipe tables, fenced and indented code — with inline syntax stripped.
/// It does not aim at full CommonMark; anything it does not recognise is read as paragraph text.
/// </summary>
public sealed partial class MarkdownReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".md", ".markdown"];

    public ExtractedDocument Read(Stream content, string fileName)
    {
        var lines = TextDecoder.ReadAll(content, fileName).Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        return new Parser(lines).Run();
    }

    sealed class Parser(string[] lines)
    {
        readonly BlockBuilder _blocks = new();
        readonly List<string> _open = [];     // lines of the paragraph or list item being collected
        BlockKind _openKind = BlockKind.Paragraph;
        int _openLevel;
        readonly List<int> _listIndents = []; // indent of each open list level, outermost first
        string? _title;

        public ExtractedDocument Run()
        {
            int i = SkipFrontMatter();
            while (i < lines.Length)
            {
                var line = lines[i];
                if (IsBlank(line))
                {
                    Flush();
                    i++;
                    continue;
                }
                var fence = Fence().Match(line);
                if (fence.Success) { i = ReadFence(i, fence.Groups[2].Value); continue; }

                var atx = AtxHeading().Match(line);
                if (atx.Success)
                {
                    Flush();
                    _listIndents.Clear();
                    AddHeading(atx.Groups[2].Value, atx.Groups[1].Length);
                    i++;
                    continue;
                }
                if (_open.Count > 0 && _openKind == BlockKind.Paragraph && SetextUnderline().IsMatch(line))
                {
                    var text = string.Join('\n', _open);
                    _open.Clear();
                    AddHeading(text, line.Trim()[0] == '=' ? 1 : 2);
                    i++;
                    continue;
                }
                if (Rule().IsMatch(line)) { Flush(); i++; continue; }

                if (line.Contains('|') && i + 1 < lines.Length && lines[i + 1].Contains('|') && TableDelimiter().IsMatch(lines[i + 1]))
                {
                    i = ReadTable(i);
                    continue;
                }
                var item = ListItem().Match(line);
                if (item.Success)
                {
                    Flush();
                    int indent = IndentWidth(item.Groups[1].Value);
                    while (_listIndents.Count > 0 && _listIndents[^1] > indent) _listIndents.RemoveAt(_listIndents.Count - 1);
                    if (_listIndents.Count == 0 || _listIndents[^1] < indent) _listIndents.Add(indent);
                    _openKind = BlockKind.ListItem;
                    _openLevel = _listIndents.Count - 1;
                    _open.Add(item.Groups[3].Value);
                    i++;
                    continue;
                }
                if (_open.Count == 0 && _listIndents.Count == 0 && IndentWidth(LeadingSpace(line)) >= 4)
                {
                    i = ReadIndentedCode(i);
                    continue;
                }
                var quote = Quote().Match(line);
                var text2 = quote.Success ? quote.Groups[1].Value : line;
                if (_open.Count == 0)
                {
                    // A non-indented line after a blank line ends any list.
                    if (IndentWidth(LeadingSpace(line)) == 0) _listIndents.Clear();
                    _openKind = BlockKind.Paragraph;
                    _openLevel = 0;
                }
                _open.Add(text2);
                i++;
            }
            Flush();
            return _blocks.Build(_title);
        }

        void AddHeading(string raw, int level)
        {
            var text = MarkdownInline.Strip(raw);
            _blocks.Add(BlockKind.Heading, text, level);
            if (_title is null && level == 1) _title = text;
        }

        void Flush()
        {
            if (_open.Count == 0) return;
            _blocks.Add(_openKind, MarkdownInline.Strip(string.Join('\n', _open)), _openKind == BlockKind.ListItem ? _openLevel : 0);
            _open.Clear();
            _openKind = BlockKind.Paragraph;
        }

        int SkipFrontMatter()
        {
            if (lines.Length == 0 || lines[0].TrimEnd() != "---") return 0;
            for (int j = 1; j < lines.Length; j++)
                if (lines[j].TrimEnd() is "---" or "...") return j + 1;
            return 0; // an unclosed "---" is a rule, not front matter
        }

        int ReadFence(int i, string marker)
        {
            Flush();
            var code = new List<string>();
            int j = i + 1;
            for (; j < lines.Length; j++)
            {
                var close = lines[j].TrimStart();
                if (close.StartsWith(marker, StringComparison.Ordinal) && close.Trim().All(c => c == marker[0])) { j++; break; }
                code.Add(lines[j]);
            }
            _blocks.Add(BlockKind.Code, string.Join('\n', code));
            return j;
        }

        int ReadIndentedCode(int i)
        {
            var code = new List<string>();
            int j = i;
            for (; j < lines.Length; j++)
            {
                if (IsBlank(lines[j])) { code.Add(""); continue; }
                if (IndentWidth(LeadingSpace(lines[j])) < 4) break;
                code.Add(RemoveIndent(lines[j], 4));
            }
            _blocks.Add(BlockKind.Code, string.Join('\n', code));
            return j;
        }

        int ReadTable(int i)
        {
            Flush();
            _listIndents.Clear();
            var header = BlockBuilder.JoinCells(SplitRow(lines[i]));
            _blocks.AddRow(SplitRow(lines[i]), null);
            int j = i + 2;
            for (; j < lines.Length && !IsBlank(lines[j]) && lines[j].Contains('|'); j++)
                _blocks.AddRow(SplitRow(lines[j]), header);
            return j;
        }

        static IEnumerable<string> SplitRow(string line)
        {
            var t = line.Trim();
            if (t.StartsWith('|')) t = t[1..];
            if (t.EndsWith('|') && !t.EndsWith("\\|", StringComparison.Ordinal)) t = t[..^1];
            // "\|" is a literal pipe inside a cell.
            return t.Replace("\\|", "\u0001").Split('|').Select(c => MarkdownInline.Strip(c.Replace('\u0001', '|')));
        }
    }

    static bool IsBlank(string line) => line.All(Whitespace.IsSpace);

    static string LeadingSpace(string line) => line[..(line.Length - line.TrimStart(' ', '\t').Length)];

    static int IndentWidth(string whitespace) => whitespace.Sum(c => c == '\t' ? 4 : 1);

    static string RemoveIndent(string line, int width)
    {
        int k = 0, w = 0;
        while (k < line.Length && w < width && line[k] is ' ' or '\t') { w += line[k] == '\t' ? 4 : 1; k++; }
        return line[k..];
    }

    [GeneratedRegex(@"^( {0,3})(`{3,}|~{3,})")] private static partial Regex Fence();
    [GeneratedRegex(@"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")] private static partial Regex AtxHeading();
    [GeneratedRegex(@"^ {0,3}(?:=+|-+)[ \t]*$")] private static partial Regex SetextUnderline();
    [GeneratedRegex(@"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")] private static partial Regex Rule();
    [GeneratedRegex(@"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")] private static partial Regex TableDelimiter();
    [GeneratedRegex(@"^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$")] private static partial Regex ListItem();
    [GeneratedRegex(@"^ {0,3}>[ \t]?(.*)$")] private static partial Regex Quote();
}

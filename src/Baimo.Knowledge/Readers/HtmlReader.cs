using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .html/.htm: walks the tag stream (no DOM) and emits headings, paragraphs, list items with nesting depth,
/// table rows under their &lt;th&gt; header, and &lt;pre&gt; as code. Navigation, scripts, styles and forms'
/// option lists are skipped; entities are decoded; the &lt;title&gt; becomes the document title.
/// </summary>
public sealed partial class HtmlReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".html", ".htm", ".xhtml"];

    public ExtractedDocument Read(Stream content, string fileName)
    {
        var bytes = TextDecoder.ReadBytes(content);
        var html = TextDecoder.Decode(bytes, fileName, DeclaredEncoding(bytes), out _);
        return Extract(html);
    }

    /// <summary>Extracts blocks from HTML text; also used for HTML fragments inside other formats.</summary>
    public static ExtractedDocument Extract(string html) => new Walker().Run(html);

    /// <summary>
    /// The charset named by a meta tag in the first 2 KB, used only when the bytes are not valid UTF-8
    /// (old Chinese pages declare gb2312 and are GBK).
    /// </summary>
    static Encoding? DeclaredEncoding(byte[] bytes)
    {
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 2048));
        var m = MetaCharset().Match(head);
        return m.Success ? TextDecoder.ByName(m.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();

    sealed class Walker
    {
        static readonly HashSet<string> Skipped = ["script", "style", "nav", "noscript", "template", "svg", "select", "iframe", "object", "math"];
        static readonly HashSet<string> Void = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];
        static readonly HashSet<string> Breaking =
        [
            "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "ul", "ol", "dl", "dt", "dd",
            "figure", "figcaption", "address", "hr", "form", "fieldset", "legend", "details", "summary", "center", "body", "html",
        ];

        readonly BlockBuilder _blocks = new();
        readonly StringBuilder _pending = new();
        readonly List<(string Tag, BlockKind Kind, int Level)> _contexts = []; // open h1-h6, li, pre
        readonly List<TableState> _tables = [];
        int _listDepth;
        string? _skipping;
        int _skipDepth;
        string? _title;
        bool _inTitle;

        public ExtractedDocument Run(string html)
        {
            foreach (var token in HtmlTokenizer.Tokenize(html))
            {
                if (_skipping is not null) { TrackSkip(token); continue; }
                switch (token.Kind)
                {
                    case HtmlTokenKind.Text: OnText(token.Value); break;
                    case HtmlTokenKind.StartTag: OnStart(token.Value, token.SelfClosing); break;
                    case HtmlTokenKind.EndTag: OnEnd(token.Value); break;
                }
            }
            while (_tables.Count > 0) EndTable();
            Flush();
            return _blocks.Build(_title);
        }

        void TrackSkip(HtmlToken token)
        {
            if (token.Value != _skipping) return;
            if (token.Kind == HtmlTokenKind.StartTag && !token.SelfClosing) _skipDepth++;
            else if (token.Kind == HtmlTokenKind.EndTag && --_skipDepth == 0) _skipping = null;
        }

        void OnText(string raw)
        {
            if (_inTitle) { _title = (_title ?? "") + WebUtility.HtmlDecode(raw); return; }
            var text = WebUtility.HtmlDecode(raw);
            if (_tables.Count > 0 && _tables[^1].Cell is { } cell) cell.Append(text);
            else _pending.Append(text);
        }

        void OnStart(string tag, bool selfClosing)
        {
            if (tag == "title") { _inTitle = !selfClosing; return; }
            // <head> content other than the title is metadata; a page without </head> still shows its body.
            if (tag == "body") { Flush(); return; }
            if (Skipped.Contains(tag) && !selfClosing)
            {
                _skipping = tag;
                _skipDepth = 1;
                return;
            }
            switch (tag)
            {
                case "br":
                    Append("\n");
                    return;
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    Flush();
                    _contexts.Add((tag, BlockKind.Heading, tag[1] - '0'));
                    return;
                case "li":
                    Flush();
                    _contexts.Add((tag, BlockKind.ListItem, Math.Max(0, _listDepth - 1)));
                    return;
                case "pre":
                    Flush();
                    _contexts.Add((tag, BlockKind.Code, 0));
                    return;
                case "ul" or "ol":
                    Flush();
                    _listDepth++;
                    return;
                case "table":
                    Flush();
                    _tables.Add(new TableState());
                    return;
                case "thead":
                    if (_tables.Count > 0) _tables[^1].InHead = true;
                    return;
                case "tbody" or "tfoot":
                    if (_tables.Count > 0) _tables[^1].InHead = false;
                    return;
                case "tr":
                    if (_tables.Count > 0) { EndRow(_tables[^1]); _tables[^1].Row = []; }
                    return;
                case "td" or "th":
                    if (_tables.Count > 0) StartCell(_tables[^1], tag == "th");
                    return;
                case "caption":
                    Flush();
                    return;
            }
            if (Breaking.Contains(tag) && !Void.Contains(tag)) Flush();
            else if (tag is "hr") Flush();
        }

        void OnEnd(string tag)
        {
            switch (tag)
            {
                case "title":
                    _inTitle = false;
                    return;
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "li" or "pre":
                    Flush();
                    int k = _contexts.FindLastIndex(c => c.Tag == tag);
                    if (k >= 0) _contexts.RemoveRange(k, _contexts.Count - k);
                    return;
                case "ul" or "ol":
                    Flush();
                    if (_listDepth > 0) _listDepth--;
                    // An unclosed <li> inside the list ends with it.
                    int open = _contexts.FindLastIndex(c => c.Tag == "li");
                    if (open >= 0 && _contexts.Count(c => c.Tag == "li") > _listDepth) _contexts.RemoveRange(open, _contexts.Count - open);
                    return;
                case "table":
                    if (_tables.Count > 0) EndTable();
                    return;
                case "thead":
                    if (_tables.Count > 0) _tables[^1].InHead = false;
                    return;
                case "tr":
                    if (_tables.Count > 0) { EndRow(_tables[^1]); }
                    return;
                case "td" or "th":
                    if (_tables.Count > 0) EndCell(_tables[^1]);
                    return;
                case "caption":
                    Flush();
                    return;
            }
            if (Breaking.Contains(tag)) Flush();
        }

        /// <summary>Inside a table cell a line break or paragraph is just a space; elsewhere it goes to the block text.</summary>
        void Append(string s)
        {
            if (_tables.Count > 0 && _tables[^1].Cell is { } cell) cell.Append(s);
            else _pending.Append(s);
        }

        void Flush()
        {
            if (_pending.Length == 0) return;
            var (kind, level) = _contexts.Count == 0 ? (BlockKind.Paragraph, 0) : (_contexts[^1].Kind, _contexts[^1].Level);
            _blocks.Add(kind, _pending.ToString(), level);
            _pending.Clear();
        }

        void StartCell(TableState table, bool header)
        {
            EndCell(table);
            table.Row ??= [];
            table.Cell = new StringBuilder();
            table.CellIsHeader = header;
        }

        static void EndCell(TableState table)
        {
            if (table.Cell is null) return;
            (table.Row ??= []).Add(table.Cell.ToString());
            table.RowAllHeader &= table.CellIsHeader;
            table.Cell = null;
        }

        void EndRow(TableState table)
        {
            EndCell(table);
            if (table.Row is { Count: > 0 } row)
            {
                Flush(); // text that stood in the table outside any cell
                bool isHeader = table.Header is null && (table.RowAllHeader || table.InHead);
                if (isHeader)
                {
                    var joined = BlockBuilder.JoinCells(row);
                    if (joined.Length > 0) table.Header = joined;
                    _blocks.AddRow(row, null);
                }
                else _blocks.AddRow(row, table.Header);
            }
            table.Row = null;
            table.RowAllHeader = true;
        }

        void EndTable()
        {
            EndRow(_tables[^1]);
            _tables.RemoveAt(_tables.Count - 1);
        }
    }

    sealed class TableState
    {
        public string? Header;
        public List<string>? Row;
        public StringBuilder? Cell;
        public bool CellIsHeader;
        public bool RowAllHeader = true;
        public bool InHead;
    }
}

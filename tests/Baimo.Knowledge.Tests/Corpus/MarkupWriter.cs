using System.Net;
using System.Text;

namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>Writes the same content as HTML (with nav and script noise a reader must skip) and as Markdown.</summary>
public static class MarkupWriter
{
    public static string Html(string title, IEnumerable<SampleItem> items)
    {
        var sb = new StringBuilder();
        sb.Append($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{E(title)}</title>\n");
        sb.Append("<style>body { font: 12px sans-serif; }</style><script>var x = '<p>not text</p>';</script></head>\n<body>\n");
        sb.Append("<nav><ul><li><a href=\"/\">Home</a></li><li>Menu</li></ul></nav>\n");
        int listDepth = 0;
        void CloseLists(int to) { while (listDepth > to) { sb.Append("</ul>\n"); listDepth--; } }
        foreach (var item in items)
        {
            if (item is SampleListItem li)
            {
                while (listDepth < li.Level + 1) { sb.Append("<ul>\n"); listDepth++; }
                CloseLists(li.Level + 1);
                sb.Append($"<li>{E(li.Text)}</li>\n");
                continue;
            }
            CloseLists(0);
            switch (item)
            {
                case SampleHeading h: sb.Append($"<h{Math.Max(1, h.Level)}>{E(h.Text)}</h{Math.Max(1, h.Level)}>\n"); break;
                case SampleParagraph p: sb.Append($"<p>{E(p.Text)}</p>\n"); break;
                case SampleCode c: sb.Append($"<pre><code>{E(c.Text)}</code></pre>\n"); break;
                case SampleTable t:
                    sb.Append("<table>\n<thead><tr>").Append(string.Concat(t.Header.Select(h => $"<th>{E(h)}</th>"))).Append("</tr></thead>\n<tbody>\n");
                    foreach (var row in t.Rows) sb.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>\n");
                    sb.Append("</tbody></table>\n");
                    break;
            }
        }
        CloseLists(0);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    public static string Markdown(IEnumerable<SampleItem> items)
    {
        var sb = new StringBuilder();
        SampleItem? previous = null;
        foreach (var item in items)
        {
            // A paragraph right under a list item would continue it; a blank line ends the list.
            if (previous is SampleListItem && item is not SampleListItem) sb.Append('\n');
            previous = item;
            switch (item)
            {
                case SampleHeading h: sb.Append($"{new string('#', Math.Max(1, h.Level))} {h.Text}\n\n"); break;
                case SampleParagraph p: sb.Append(p.Text).Append("\n\n"); break;
                case SampleListItem li: sb.Append(new string(' ', 2 * li.Level)).Append(li.Numbered ? "1. " : "- ").Append(li.Text).Append('\n'); break;
                case SampleCode c: sb.Append("```\n").Append(c.Text).Append("\n```\n\n"); break;
                case SampleTable t:
                    sb.Append("\n| ").Append(string.Join(" | ", t.Header)).Append(" |\n|");
                    sb.Append(string.Concat(t.Header.Select(_ => " --- |"))).Append('\n');
                    foreach (var row in t.Rows) sb.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
                    sb.Append('\n');
                    break;
            }
        }
        return sb.ToString();
    }

    static string E(string s) => WebUtility.HtmlEncode(s);
}

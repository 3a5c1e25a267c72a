using System.Text;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class HtmlReaderTests
{
    static ExtractedDocument ReadHtml(string html) => Read(new HtmlReader(), Encoding.UTF8.GetBytes(html), "page.html");

    [Fact]
    public void EnglishPageStructure()
    {
        var doc = ReadHtml("""
            <!DOCTYPE html>
            <html><head><title>Ops &amp; Runbook</title>
            <style>p { color: red }</style>
            <script>if (a < b) document.write("<p>fake</p>");</script></head>
            <body>
            <nav><a href="/">Home</a> | <a href="/docs">Docs</a></nav>
            <h1>Runbook</h1>
            <!-- <p>commented out</p> -->
            <p>Restart the <b>service</b> with
               <code>systemctl&nbsp;restart</code>.</p>
            <p>Line one<br>line two</p>
            <ul>
              <li>Check disk
                <ul><li>Use <i>df</i></li></ul>
                then report</li>
              <li>Check memory
            </ul>
            <h3 class="x" data-note="a > b">Table</h3>
            <table>
              <tr><th>Host</th><th>Role</th></tr>
              <tr><td>db1</td><td>primary<br>writer</td></tr>
              <tr><td>db2</td><td></td></tr>
            </table>
            <pre>
            line 1
              line 2
            </pre>
            <div>Loose text in a div</div>
            <p>Unclosed paragraph
            <p>Next &#20013;&#x6587; &lt;tag&gt; &copy;</p>
            </body></html>
            """);
        Assert.Equal("Ops & Runbook", doc.Title);
        Blocks(doc,
            new(BlockKind.Heading, "Runbook", 1),
            new(BlockKind.Paragraph, "Restart the service with systemctl restart."),
            new(BlockKind.Paragraph, "Line one line two"),
            new(BlockKind.ListItem, "Check disk", 0),
            new(BlockKind.ListItem, "Use df", 1),
            new(BlockKind.ListItem, "then report", 0),
            new(BlockKind.ListItem, "Check memory", 0),
            new(BlockKind.Heading, "Table", 3),
            new(BlockKind.TableRow, "Host | Role"),
            new(BlockKind.TableRow, "db1 | primary writer", Header: "Host | Role"),
            new(BlockKind.TableRow, "db2", Header: "Host | Role"),
            new(BlockKind.Code, "line 1\n  line 2"),
            new(BlockKind.Paragraph, "Loose text in a div"),
            new(BlockKind.Paragraph, "Unclosed paragraph"),
            new(BlockKind.Paragraph, "Next 中文 <tag> ©"));
    }

    [Fact]
    public void ChinesePageWithTheadHeader()
    {
        var doc = ReadHtml("""
            <html><head><meta charset="utf-8"><title>产品说明</title></head><body>
            <h2>功能</h2><p>支持全文检索
            和向量检索。</p>
            <ol><li>上传文档</li><li>提问</li></ol>
            <table><thead><tr><td>版本</td><td>日期</td></tr></thead>
            <tbody><tr><td>1.0</td><td>2026年1月</td></tr></tbody></table>
            </body></html>
            """);
        Assert.Equal("产品说明", doc.Title);
        Blocks(doc,
            new(BlockKind.Heading, "功能", 2),
            new(BlockKind.Paragraph, "支持全文检索和向量检索。"),
            new(BlockKind.ListItem, "上传文档"),
            new(BlockKind.ListItem, "提问"),
            new(BlockKind.TableRow, "版本 | 日期"),
            new(BlockKind.TableRow, "1.0 | 2026年1月", Header: "版本 | 日期"));
    }

    [Fact]
    public void AGbkPageDeclaringItsCharsetIsDecoded()
    {
        var html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>通知</title></head><body><p>明天放假。</p></body></html>";
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes(html);
        var doc = Read(new HtmlReader(), bytes, "old.htm");
        Assert.Equal("通知", doc.Title);
        Blocks(doc, new B(BlockKind.Paragraph, "明天放假。"));
    }

    [Fact]
    public void BrokenMarkupNeverThrows()
    {
        var doc = ReadHtml("<p>a < b and <b>bold <i>unclosed</p><table><td>cell<tr><td>x</table><li>stray item");
        Blocks(doc,
            new(BlockKind.Paragraph, "a < b and bold unclosed"),
            new(BlockKind.TableRow, "cell"),
            new(BlockKind.TableRow, "x", Header: null),
            new(BlockKind.ListItem, "stray item"));
    }
}

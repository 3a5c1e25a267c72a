using System.Text;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class JsonReaderTests
{
    [Fact]
    public void LeavesBecomePathValueParagraphs()
    {
        var json = """
            {
              // comments and trailing commas are tolerated
              "product": { "name": "Baimo", "version": 1.5, "free": true, "owner": null },
              "tags": ["local", "private"],
              "orders": [ { "id": 7, "customer": { "name": "王芳" } }, { "id": 8, "items": [] } ],
              "说明": "支持中文",
            }
            """;
        var doc = Read(new JsonReader(), Encoding.UTF8.GetBytes(json), "data.json");
        Blocks(doc,
            new(BlockKind.Paragraph, "product.name: Baimo"),
            new(BlockKind.Paragraph, "product.version: 1.5"),
            new(BlockKind.Paragraph, "product.free: true"),
            new(BlockKind.Paragraph, "tags: local, private"),
            new(BlockKind.Paragraph, "orders[0].id: 7"),
            new(BlockKind.Paragraph, "orders[0].customer.name: 王芳"),
            new(BlockKind.Paragraph, "orders[1].id: 8"),
            new(BlockKind.Paragraph, "说明: 支持中文"));
    }

    [Fact]
    public void AScalarRootIsOneParagraph()
    {
        Blocks(Read(new JsonReader(), Encoding.UTF8.GetBytes("\"just text\""), "s.json"), new B(BlockKind.Paragraph, "just text"));
    }

    [Fact]
    public void InvalidJsonNamesTheLine()
    {
        var e = Fails(new JsonReader(), Encoding.UTF8.GetBytes("{\n  \"a\": 1,\n  \"b\": [1, 2\n}"), "bad.json");
        Assert.Equal("invalid JSON at line 4, column 1", e.Reason);
    }
}

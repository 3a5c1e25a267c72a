using System.Text;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class CsvReaderTests
{
    [Fact]
    public void Rfc4180QuotingAndTheHeaderRow()
    {
        var csv = "\r\nname,comment,price\r\n\"Smith, John\",\"said \"\"hi\"\"\r\nand left\",12.50\r\nplain,,3\r\n,,\r\nlast,\"unterminated";
        var doc = Read(new CsvReader(), Encoding.UTF8.GetBytes(csv), "orders.csv");
        const string h = "name | comment | price";
        Blocks(doc,
            new(BlockKind.TableRow, h),
            new(BlockKind.TableRow, "Smith, John | said \"hi\" and left | 12.50", Header: h),
            new(BlockKind.TableRow, "plain | | 3", Header: h),
            new(BlockKind.TableRow, "last | unterminated", Header: h));
    }

    [Fact]
    public void ChineseGbkWithSemicolons()
    {
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes("姓名;部门\n张伟;研发部\n李娜;\"市场部;华东\"\n");
        var doc = Read(new CsvReader(), bytes, "员工.csv");
        Blocks(doc,
            new(BlockKind.TableRow, "姓名 | 部门"),
            new(BlockKind.TableRow, "张伟 | 研发部", Header: "姓名 | 部门"),
            new(BlockKind.TableRow, "李娜 | 市场部;华东", Header: "姓名 | 部门"));
    }

    [Theory]
    [InlineData("a,b;c\n", ',')]
    [InlineData("a;b;c,d\n", ';')]
    [InlineData("a\tb\tc\n", '\t')]
    [InlineData("\"x;y;z\",b\n", ',')]
    public void DelimiterDetection(string firstLine, char expected) =>
        Assert.Equal(expected, CsvParser.DetectDelimiter(firstLine));

    [Fact]
    public void TheParserKeepsEmbeddedLineBreaksAndQuotes()
    {
        var records = CsvParser.Parse("a,\"b\nc\",\"d\"\"e\"\nx", ',');
        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b\nc", "d\"e"], records[0]);
        Assert.Equal(["x"], records[1]);
    }
}

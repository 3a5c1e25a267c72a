using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using Baimo.Knowledge.Tests.Corpus;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class XlsxReaderTests
{
    [Fact]
    public void SheetsHeadersSharedStringsAndNumberFormats()
    {
        var xlsx = XlsxWriter.Write(
        [
            ("Sales",
            [
                [],
                [null, "Region", "Revenue", "Share", "Closed", "Active"],
                [null, "North", 1234.0, new XlsxWriter.Percent(0.125), new DateTime(2026, 3, 31), true],
                [null, "South", 0.1 + 0.2, new XlsxWriter.Percent(0.5), new DateTime(2026, 1, 2, 13, 30, 0), false],
                [null, "East", null, null, null, null, "note outside the header"],
            ]),
            ("销售", [["地区", "金额"], ["华东", 98765.5], ["华南", -42.0]]),
        ], title: "Quarterly");
        var doc = Read(new XlsxReader(), xlsx, "sales.xlsx");
        const string h = "Region | Revenue | Share | Closed | Active";
        Blocks(doc,
            new(BlockKind.Heading, "Sales", 1, "sheet Sales"),
            new(BlockKind.TableRow, h, 0, "sheet Sales"),
            new(BlockKind.TableRow, "North | 1234 | 12.5% | 2026-03-31 | TRUE", 0, "sheet Sales", h),
            new(BlockKind.TableRow, "South | 0.3 | 50% | 2026-01-02 13:30:00 | FALSE", 0, "sheet Sales", h),
            new(BlockKind.TableRow, "East | | | | | note outside the header", 0, "sheet Sales", h),
            new(BlockKind.Heading, "销售", 1, "sheet 销售"),
            new(BlockKind.TableRow, "地区 | 金额", 0, "sheet 销售"),
            new(BlockKind.TableRow, "华东 | 98765.5", 0, "sheet 销售", "地区 | 金额"),
            new(BlockKind.TableRow, "华南 | -42", 0, "sheet 销售", "地区 | 金额"));
        Assert.Equal(2, doc.Pages);
        Assert.Equal("Quarterly", doc.Title);
    }

    [Fact]
    public void NumbersLoseBinaryNoiseButKeepPrecision()
    {
        Assert.Equal("0.3", XlsxCellText.FormatNumber(0.1 + 0.2));
        Assert.Equal("3.14159265358979", XlsxCellText.FormatNumber(Math.PI));
        Assert.Equal("1E+20", XlsxCellText.FormatNumber(1e20));
        Assert.Equal("-7", XlsxCellText.FormatNumber(-7.0));
    }

    [Fact]
    public void BrokenWorkbooks()
    {
        var xlsx = XlsxWriter.Write([("S", Enumerable.Range(0, 300).Select(i => new object?[] { $"row {i}", i }).ToArray())]);
        Assert.StartsWith("the .xlsx file is damaged or incomplete (", Fails(new XlsxReader(), OfficeFiles.Truncated(xlsx), "cut.xlsx").Reason);
        Assert.Equal("not a .xlsx file (it is not a zip package)", Fails(new XlsxReader(), OfficeFiles.RandomBytes(3), "r.xlsx").Reason);
        Assert.StartsWith("password-protected", Fails(new XlsxReader(), OfficeFiles.CompoundFile(), "p.xlsx").Reason);
    }
}

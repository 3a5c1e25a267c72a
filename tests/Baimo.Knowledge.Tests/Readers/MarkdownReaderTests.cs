using System.Text;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using static Baimo.Knowledge.Tests.Readers.ReaderAssert;

namespace Baimo.Knowledge.Tests.Readers;

public class MarkdownReaderTests
{
    static ExtractedDocument ReadMd(string md) => Read(new MarkdownReader(), Encoding.UTF8.GetBytes(md), "notes.md");

    [Fact]
    public void EnglishStructureBecomesBlocks()
    {
        var doc = ReadMd("""
            ---
            title: front matter is metadata
            ---
            # Release **Notes** #

            This release adds [hybrid search](https://example.com/x) and
            `cited` answers.

            ## Steps
            - Install the *package*
              which takes a minute
              - Nested item
            1. First numbered
            2) Second numbered

            Setext heading
            --------------

            | Name | Size \| bytes |
            |:-----|-----:|
            | a.pdf | 10 |
            | b.pdf |  |

            ```csharp
            var x = 1;

                indented();
            ```

                indented code block

            > quoted text
            ***
            snake_case_name stays
            """);
        Blocks(doc,
            new(BlockKind.Heading, "Release Notes", 1),
            new(BlockKind.Paragraph, "This release adds hybrid search and cited answers."),
            new(BlockKind.Heading, "Steps", 2),
            new(BlockKind.ListItem, "Install the package which takes a minute", 0),
            new(BlockKind.ListItem, "Nested item", 1),
            new(BlockKind.ListItem, "First numbered", 0),
            new(BlockKind.ListItem, "Second numbered", 0),
            new(BlockKind.Heading, "Setext heading", 2),
            new(BlockKind.TableRow, "Name | Size | bytes"),
            new(BlockKind.TableRow, "a.pdf | 10", Header: "Name | Size | bytes"),
            new(BlockKind.TableRow, "b.pdf", Header: "Name | Size | bytes"),
            new(BlockKind.Code, "var x = 1;\n\n    indented();"),
            new(BlockKind.Code, "indented code block"),
            new(BlockKind.Paragraph, "quoted text"),
            new(BlockKind.Paragraph, "snake_case_name stays"));
        Assert.Equal("Release Notes", doc.Title);
    }

    [Fact]
    public void ChineseDocument()
    {
        var doc = ReadMd("""
            # 员工手册

            公司实行弹性工作制，
            核心工作时间为上午十点至下午四点。

            ## 假期
            * 年假：每年十五天
            * 病假：需提供证明

            | 类型 | 天数 |
            | --- | --- |
            | 年假 | 15 |
            """);
        Blocks(doc,
            new(BlockKind.Heading, "员工手册", 1),
            new(BlockKind.Paragraph, "公司实行弹性工作制，核心工作时间为上午十点至下午四点。"),
            new(BlockKind.Heading, "假期", 2),
            new(BlockKind.ListItem, "年假：每年十五天"),
            new(BlockKind.ListItem, "病假：需提供证明"),
            new(BlockKind.TableRow, "类型 | 天数"),
            new(BlockKind.TableRow, "年假 | 15", Header: "类型 | 天数"));
    }

    [Fact]
    public void AnUnclosedFenceRunsToTheEnd()
    {
        var doc = ReadMd("text\n```\ncode line\n");
        Blocks(doc, new(BlockKind.Paragraph, "text"), new(BlockKind.Code, "code line"));
    }
}

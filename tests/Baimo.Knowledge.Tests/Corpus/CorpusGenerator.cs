using System.Text;

namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>One generated file and what went into it, so a test can check what comes back out.</summary>
/// <param name="Path">Where it was written.</param>
/// <param name="Chinese">Written in Chinese (PDFs are always English: no CJK font to embed).</param>
/// <param name="Paragraphs">The paragraph texts written, each expected verbatim in the extracted text.</param>
/// <param name="HasTable">A table was written (as real table structure; PDF has none).</param>
/// <param name="HasList">List items were written.</param>
/// <param name="BlankPages">PDF pages left without text, each expected as a warning.</param>
public sealed record GeneratedFile(string Path, bool Chinese, IReadOnlyList<string> Paragraphs, bool HasTable, bool HasList, int BlankPages);

/// <summary>
/// Writes a mixed corpus of PDF, DOCX, XLSX, PPTX, HTML and Markdown files, half of them Chinese, with headings,
/// paragraphs, lists and tables in varying amounts. The same seed gives the same files, byte for byte in the
/// text formats and in content for the packaged ones.
/// </summary>
public static class CorpusGenerator
{
    public static readonly string[] Formats = [".pdf", ".docx", ".xlsx", ".pptx", ".html", ".md"];

    public static List<GeneratedFile> Generate(string folder, int count, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var files = new List<GeneratedFile>(count);
        for (int i = 0; i < count; i++)
        {
            var ext = Formats[i % Formats.Length];
            bool chinese = ext != ".pdf" && random.Next(2) == 0;
            var text = new SampleText(random, chinese);
            var path = Path.Combine(folder, $"doc{i:D5}{(chinese ? "-zh" : "-en")}{ext}");
            files.Add(ext switch
            {
                ".xlsx" => WriteWorkbook(path, text, random),
                ".pptx" => WriteDeck(path, text, random),
                ".pdf" => WritePdf(path, text, random),
                _ => WriteFlowing(path, ext, text, random),
            });
        }
        return files;
    }

    /// <summary>Sections of a heading, paragraphs and sometimes a list, a table or (in markup) code.</summary>
    static List<SampleItem[]> Sections(SampleText text, Random random, bool code)
    {
        var sections = new List<SampleItem[]>();
        int n = random.Next(2, 9);
        for (int s = 0; s < n; s++)
        {
            var items = new List<SampleItem> { new SampleHeading(s == 0 ? 1 : random.Next(2, 4), text.Heading()) };
            for (int p = random.Next(1, 4); p > 0; p--) items.Add(new SampleParagraph(text.Paragraph()));
            if (random.Next(3) == 0)
                for (int l = random.Next(2, 6); l > 0; l--)
                    items.Add(new SampleListItem(text.Words(3, 8), random.Next(4) == 0 ? 1 : 0, random.Next(2) == 0));
            if (random.Next(4) == 0) items.Add(Table(text, random));
            if (code && random.Next(6) == 0) items.Add(new SampleCode($"let total = {random.Next(100)};\n  print(total)"));
            sections.Add([.. items]);
        }
        return sections;
    }

    static SampleTable Table(SampleText text, Random random)
    {
        int columns = random.Next(2, 6);
        var header = Enumerable.Range(0, columns).Select(_ => text.Words(1, 2)).ToArray();
        var rows = Enumerable.Range(0, random.Next(2, 9)).Select(_ => Enumerable.Range(0, columns).Select(_ => text.Cell()).ToArray()).ToArray();
        return new SampleTable(header, rows);
    }

    static GeneratedFile WriteFlowing(string path, string ext, SampleText text, Random random)
    {
        var items = Sections(text, random, code: ext != ".docx").SelectMany(s => s).ToList();
        switch (ext)
        {
            case ".docx": File.WriteAllBytes(path, DocxWriter.Write(items, title: text.Heading())); break;
            case ".html": File.WriteAllText(path, MarkupWriter.Html(text.Heading(), items), new UTF8Encoding(false)); break;
            default: File.WriteAllText(path, MarkupWriter.Markdown(items), new UTF8Encoding(false)); break;
        }
        return Describe(path, text, items, blankPages: 0);
    }

    static GeneratedFile WriteDeck(string path, SampleText text, Random random)
    {
        var slides = Sections(text, random, code: false)
            .Select(s => ((string?)((SampleHeading)s[0]).Text, s.Skip(1).ToArray()))
            .ToList();
        File.WriteAllBytes(path, PptxWriter.Write(slides));
        return Describe(path, text, slides.SelectMany(s => s.Item2).ToList(), blankPages: 0);
    }

    static GeneratedFile WritePdf(string path, SampleText text, Random random)
    {
        // Tables and code are not structure in a PDF; keep headings, paragraphs and lists.
        var pages = Sections(text, random, code: false)
            .Select(s => (SampleItem[]?)s.Where(i => i is SampleHeading or SampleParagraph or SampleListItem).ToArray())
            .ToList();
        int blank = 0;
        if (random.Next(10) == 0) { pages.Insert(random.Next(1, pages.Count + 1), null); blank = 1; }
        File.WriteAllBytes(path, PdfWriter.Write(pages));
        return Describe(path, text, pages.Where(p => p is not null).SelectMany(p => p!).ToList(), blank) with { HasTable = false };
    }

    static GeneratedFile WriteWorkbook(string path, SampleText text, Random random)
    {
        var sheets = new List<(string, object?[][])>();
        for (int s = random.Next(1, 4); s > 0; s--)
        {
            int columns = random.Next(2, 7);
            var rows = new List<object?[]> { Enumerable.Range(0, columns).Select(_ => (object?)text.Words(1, 2)).ToArray() };
            for (int r = random.Next(3, 41); r > 0; r--)
                rows.Add(Enumerable.Range(0, columns).Select(c => c switch
                {
                    0 => (object?)text.Words(1, 3),
                    1 => Math.Round(random.NextDouble() * 10000, 2),
                    2 => new DateTime(2020, 1, 1).AddDays(random.Next(2000)),
                    _ => random.Next(5) == 0 ? null : text.Cell(),
                }).ToArray());
            sheets.Add(($"{(text.Chinese ? "表" : "Sheet")}{sheets.Count + 1}", rows.ToArray()));
        }
        File.WriteAllBytes(path, XlsxWriter.Write(sheets));
        return new GeneratedFile(path, text.Chinese, [], HasTable: true, HasList: false, BlankPages: 0);
    }

    static GeneratedFile Describe(string path, SampleText text, List<SampleItem> items, int blankPages) =>
        new(path, text.Chinese,
            items.OfType<SampleParagraph>().Select(p => p.Text).ToList(),
            items.Any(i => i is SampleTable), items.Any(i => i is SampleListItem), blankPages);
}

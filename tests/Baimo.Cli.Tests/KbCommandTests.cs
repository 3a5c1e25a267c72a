using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baimo.Knowledge.Tests.Corpus;
using Baimo.Testing;

namespace Baimo.Cli.Tests;

[Collection(KbCollection.Name)]
public sealed class KbCommandTests
{
    private static readonly UTF8Encoding Utf8 = new(false);

    [Fact]
    public void Create_refuses_an_existing_base_and_bad_names()
    {
        using var scratch = new KbScratch();
        var (code, o, e) = CliRunner.Run("kb", "create", "notes");
        Assert.True(code == 0, e);
        Assert.Contains("created knowledge base 'notes'", o);
        Assert.True(File.Exists(Path.Combine(scratch.Bases, "notes.kb.sqlite")));

        (code, _, e) = CliRunner.Run("kb", "create", "notes");
        Assert.Equal(2, code);
        Assert.Contains("already exists", e);

        foreach (var bad in new[] { "../escape", "-dash", "a/b", "has space", new string('x', 65) })
        {
            (code, _, e) = CliRunner.Run("kb", "create", bad);
            Assert.True(code == 2, $"'{bad}' gave {code}: {e}");
        }
        Assert.Equal(["notes.kb.sqlite"], Directory.GetFiles(scratch.Bases).Select(p => Path.GetFileName(p)).ToArray());

        (code, _, e) = CliRunner.Run("kb", "docs", "missing");
        Assert.Equal(2, code);
        Assert.Contains("no knowledge base 'missing'", e);
    }

    [Fact]
    public void Add_search_update_remove_round_trip()
    {
        using var scratch = new KbScratch();
        var docs = scratch.Folder("docs");
        Directory.CreateDirectory(Path.Combine(docs, "handbook"));
        Directory.CreateDirectory(Path.Combine(docs, "web"));
        File.WriteAllText(Path.Combine(docs, "handbook", "leave.md"),
            "# Leave\n\n## Sabbatical\n\nEvery employee may take a sabbatical of three months after seven years of service.\n", Utf8);
        File.WriteAllText(Path.Combine(docs, "notes.txt"), "The zebrafish tank in the lobby is cleaned every Friday morning.\n", Utf8);
        File.WriteAllText(Path.Combine(docs, "web", "page.html"),
            "<html><head><title>Parking</title></head><body><h1>Parking</h1><p>Bicycle parking is behind the warehouse.</p></body></html>", Utf8);
        File.WriteAllBytes(Path.Combine(docs, "report.docx"), DocxWriter.Write(
        [
            new SampleHeading(1, "Quarterly report"),
            new SampleParagraph("Revenue from the sabbatical consulting line grew by twelve percent."),
        ], title: "Quarterly report"));
        File.WriteAllText(Path.Combine(docs, "zh.md"), "# 年假\n\n员工每年可以享受十五天的带薪年假。\n", Utf8);
        // Not a zip at all: the reader must refuse it and the run must go on without it.
        File.WriteAllBytes(Path.Combine(docs, "broken.docx"), Encoding.ASCII.GetBytes("this is not an office document"));

        Assert.Equal(0, CliRunner.Run("kb", "create", "hr").Code);
        var (code, o, e) = CliRunner.Run("kb", "add", "hr", docs, "--quiet");
        Assert.True(code == 1, $"exit {code}\n{o}\n{e}");
        Assert.Contains("5 added, 0 updated, 0 unchanged, 0 removed, 1 failed", o);
        Assert.Contains("failed: docs/broken.docx:", e);
        Assert.Matches(@"5 files, \d+ pages, \d+ chunks in", o);

        (code, o, e) = CliRunner.Run("kb", "docs", "hr");
        Assert.True(code == 0, e);
        foreach (var source in new[] { "docs/handbook/leave.md", "docs/notes.txt", "docs/web/page.html", "docs/report.docx", "docs/zh.md" })
            Assert.Contains(source, o);
        Assert.DoesNotContain("broken", o);
        Assert.Matches(@"5 documents, \d+ chunks", o);

        (code, o, e) = CliRunner.Run("kb", "search", "hr", "zebrafish");
        Assert.True(code == 0, e);
        Assert.Matches(@"\[1\] \d+\.\d{4}  docs/notes\.txt", o);
        Assert.Contains("zebrafish tank", o);

        (code, o, e) = CliRunner.Run("kb", "search", "hr", "年假", "--json");
        Assert.True(code == 0, e);
        var zh = JsonDocument.Parse(o).RootElement;
        Assert.Equal("docs/zh.md", zh[0].GetProperty("source").GetString());
        Assert.Contains("十五天", zh[0].GetProperty("text").GetString());

        (code, o, e) = CliRunner.Run("kb", "search", "hr", "sabbatical", "--json");
        Assert.True(code == 0, e);
        var hits = JsonDocument.Parse(o).RootElement.EnumerateArray().ToList();
        Assert.Equal(["docs/handbook/leave.md", "docs/report.docx"], hits.Select(h => h.GetProperty("source").GetString()!).Order().ToArray());
        Assert.Equal([1, 2], hits.Select(h => h.GetProperty("rank").GetInt32()).ToArray());
        Assert.All(hits, h => Assert.True(h.GetProperty("score").GetDouble() > 0));
        Assert.True(hits[0].GetProperty("score").GetDouble() >= hits[1].GetProperty("score").GetDouble());
        Assert.All(hits, h => Assert.Equal(JsonValueKind.Null, h.GetProperty("vector_score").ValueKind));

        (code, o, _) = CliRunner.Run("kb", "search", "hr", "sabbatical", "--json", "--type", "docx");
        Assert.Equal(0, code);
        Assert.Equal(["docs/report.docx"], JsonDocument.Parse(o).RootElement.EnumerateArray().Select(h => h.GetProperty("source").GetString()!).ToArray());

        (code, o, _) = CliRunner.Run("kb", "search", "hr", "sabbatical", "--json", "--source", "docs/handbook/");
        Assert.Equal(0, code);
        Assert.Equal(["docs/handbook/leave.md"], JsonDocument.Parse(o).RootElement.EnumerateArray().Select(h => h.GetProperty("source").GetString()!).ToArray());

        (code, o, _) = CliRunner.Run("kb", "search", "hr", "zebrafish", "--type", "pdf");
        Assert.Equal(0, code);
        Assert.Contains("no matching chunks", o);

        // Rerun after an edit and a deletion (the broken file goes too, so the run is clean).
        File.WriteAllText(Path.Combine(docs, "notes.txt"), "The zebrafish tank moved to the canteen; it is cleaned on Mondays.\n", Utf8);
        File.Delete(Path.Combine(docs, "web", "page.html"));
        File.Delete(Path.Combine(docs, "broken.docx"));
        (code, o, e) = CliRunner.Run("kb", "add", "hr", docs, "--quiet");
        Assert.True(code == 0, $"exit {code}\n{o}\n{e}");
        Assert.Contains("0 added, 1 updated, 3 unchanged, 1 removed, 0 failed", o);

        (code, o, _) = CliRunner.Run("kb", "search", "hr", "zebrafish");
        Assert.Equal(0, code);
        Assert.Contains("canteen", o);
        Assert.DoesNotContain("lobby", o);
        (_, o, _) = CliRunner.Run("kb", "search", "hr", "bicycle");
        Assert.Contains("no matching chunks", o);

        (code, o, e) = CliRunner.Run("kb", "remove-doc", "hr", "docs/report.docx");
        Assert.True(code == 0, e);
        Assert.Contains("removed docs/report.docx", o);
        (code, _, e) = CliRunner.Run("kb", "remove-doc", "hr", "docs/report.docx");
        Assert.Equal(2, code);
        Assert.Contains("is not in knowledge base 'hr'", e);
        (_, o, _) = CliRunner.Run("kb", "docs", "hr");
        Assert.Matches(@"3 documents, \d+ chunks", o);

        Assert.Equal(0, CliRunner.Run("kb", "create", "empty").Code);
        (code, o, e) = CliRunner.Run("kb", "list");
        Assert.True(code == 0, e);
        var rows = o.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", rows[0]);
        Assert.Matches(@"^empty\s+0\s+0\s+", rows[1]);
        Assert.Matches(@"^hr\s+3\s+\d+\s+.*full text", rows[2]);

        (code, o, e) = CliRunner.Run("kb", "rm", "hr");
        Assert.True(code == 0, e);
        Assert.Contains("deleted knowledge base 'hr'", o);
        Assert.False(File.Exists(Path.Combine(scratch.Bases, "hr.kb.sqlite")));
        (code, _, _) = CliRunner.Run("kb", "rm", "hr");
        Assert.Equal(2, code);
        (_, o, _) = CliRunner.Run("kb", "list");
        Assert.DoesNotContain("hr", o.Split('\n').Select(l => l.Split(' ')[0]));
        Assert.Contains("empty", o);
    }

    [Fact]
    public void Add_a_generated_mixed_corpus_and_search_each_format()
    {
        using var scratch = new KbScratch();
        var folder = scratch.Folder("mixed");
        var files = CorpusGenerator.Generate(folder, 24, seed: 7);
        Assert.Equal(0, CliRunner.Run("kb", "create", "mixed").Code);
        var (code, o, e) = CliRunner.Run("kb", "add", "mixed", folder, "--quiet");
        Assert.True(code == 0, $"exit {code}\n{o}\n{e}");
        Assert.Contains("24 added, 0 updated, 0 unchanged, 0 removed, 0 failed", o);

        (code, o, _) = CliRunner.Run("kb", "add", "mixed", folder, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("0 added, 0 updated, 24 unchanged, 0 removed, 0 failed", o);

        // A paragraph of each format should find its own document among the hits.
        int checkedFormats = 0;
        foreach (var ext in CorpusGenerator.Formats)
        {
            // Workbooks are generated as cells, with no paragraphs to quote.
            var file = files.FirstOrDefault(f => f.Path.EndsWith(ext, StringComparison.Ordinal) && f.Paragraphs.Count > 0);
            if (file == null) continue;
            checkedFormats++;
            var text = file.Paragraphs.MaxBy(p => p.Length)!;
            var query = file.Chinese ? text[..Math.Min(text.Length, 24)] : string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(12));
            var (c, json, err) = CliRunner.Run("kb", "search", "mixed", query, "-k", "10", "--json", "--type", ext[1..]);
            Assert.True(c == 0, err);
            var sources = JsonDocument.Parse(json).RootElement.EnumerateArray().Select(h => h.GetProperty("source").GetString()!).ToList();
            Assert.Contains("mixed/" + Path.GetFileName(file.Path), sources);
            Assert.All(sources, s => Assert.EndsWith(ext, s));
        }
        Assert.True(checkedFormats >= CorpusGenerator.Formats.Length - 1, $"only {checkedFormats} formats had paragraphs");
    }

    [Fact]
    public void Rerun_on_an_emptied_folder_drops_its_documents()
    {
        using var scratch = new KbScratch();
        var folder = scratch.Folder("inbox");
        File.WriteAllText(Path.Combine(folder, "a.md"), "# A\n\nAlpha paragraph about otters.\n", Utf8);
        File.WriteAllText(Path.Combine(folder, "b.txt"), "Beta paragraph about otters.\n", Utf8);
        Assert.Equal(0, CliRunner.Run("kb", "create", "inbox").Code);
        var (code, o, e) = CliRunner.Run("kb", "add", "inbox", folder, "--quiet");
        Assert.True(code == 0, e);
        Assert.Contains("2 added", o);

        File.Delete(Path.Combine(folder, "a.md"));
        File.Delete(Path.Combine(folder, "b.txt"));
        (code, o, e) = CliRunner.Run("kb", "add", "inbox", folder, "--quiet");
        Assert.True(code == 0, e);
        Assert.Contains("0 added, 0 updated, 0 unchanged, 2 removed, 0 failed", o);
        (_, o, _) = CliRunner.Run("kb", "search", "inbox", "otters");
        Assert.Contains("no matching chunks", o);
    }

    [Fact]
    public void Add_of_a_missing_path_or_unsupported_file_exits_with_1()
    {
        using var scratch = new KbScratch();
        var folder = scratch.Folder("misc");
        var good = Path.Combine(folder, "good.md");
        File.WriteAllText(good, "# Good\n\nA paragraph about herons.\n", Utf8);
        var odd = Path.Combine(folder, "image.bmp");
        File.WriteAllBytes(odd, [0x42, 0x4d, 0, 0]);
        Assert.Equal(0, CliRunner.Run("kb", "create", "misc").Code);

        var (code, o, e) = CliRunner.Run("kb", "add", "misc", good, Path.Combine(folder, "nope"), odd, "--quiet");
        Assert.True(code == 1, $"exit {code}\n{o}\n{e}");
        Assert.Contains("1 added, 0 updated, 0 unchanged, 0 removed, 0 failed", o);
        Assert.Contains("nope: no such file or folder", e);
        Assert.Contains("image.bmp: unsupported file type '.bmp'", e);
        (_, o, _) = CliRunner.Run("kb", "docs", "misc");
        Assert.Contains("good.md", o);
    }

    [Fact]
    public void Eval_on_cmrc_full_text_beats_the_reference_within_the_budget()
    {
        using var scratch = new KbScratch();
        var data = Path.Combine(Oracle.Shared, "data", "cmrc2018", "cmrc2018_dev.json");
        Assert.Equal(0, CliRunner.Run("kb", "create", "cmrc").Code);
        var (code, o, e) = CliRunner.Run("kb", "eval", "cmrc", data, "-n", "100");
        Assert.True(code == 0, $"exit {code}\n{o}\n{e}");
        Assert.Contains("indexing", o);
        double Budget(string system)
        {
            var row = o.Split('\n').Single(l => l.StartsWith("| " + system + " |", StringComparison.Ordinal));
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            Assert.Equal("100", cells[2]);
            return double.Parse(cells[6].TrimEnd('%'), CultureInfo.InvariantCulture);
        }
        var reference = o.Split('\n').Single(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| system", StringComparison.Ordinal) && !l.Contains("Baimo")).Split('|')[1].Trim();
        double baimo = Budget("Baimo full text"), bigram = Budget(reference);
        Assert.True(baimo > bigram, $"Baimo full text {baimo}% vs {reference} {bigram}%\n{o}");
        Assert.Matches(new Regex(@"answer in first 600 chars"), o);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Baimo.Knowledge;
using Baimo.Knowledge.Tests.Corpus;
using Xunit.Abstractions;

namespace Baimo.Cli.Tests;

/// <summary>A fact that only runs when an environment variable is "1": measurements too slow for every test run.</summary>
public sealed class FactWhenEnvAttribute : FactAttribute
{
    public FactWhenEnvAttribute(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) != "1") Skip = $"set {variable}=1 to run";
    }
}

/// <summary>Ingestion throughput of the whole <c>kb add</c> pipeline (read, chunk, index) over a mixed corpus.</summary>
[Collection(KbCollection.Name)]
public sealed class KbThroughputTests(ITestOutputHelper output)
{
    private const int Files = 1200;

    [FactWhenEnv("BAIMO_KB_THROUGHPUT")]
    public async Task Add_a_mixed_corpus_of_1200_documents()
    {
        using var scratch = new KbScratch(setEnvironment: false);
        var folder = scratch.Folder("corpus");
        var generate = Stopwatch.StartNew();
        CorpusGenerator.Generate(folder, Files, seed: 1200);
        output.WriteLine($"generated {Files} documents ({string.Join(", ", CorpusGenerator.Formats)}) in {generate.Elapsed.TotalSeconds:F1} s");

        var (code, _, err) = await KbCrashTests.RunCli(scratch.Bases, ["kb", "create", "bench"], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, err);
        // A separate process, as a user runs it; the CLI's own summary is the measurement.
        (code, var o, err) = await KbCrashTests.RunCli(scratch.Bases, ["kb", "add", "bench", folder, "--quiet"], TimeSpan.FromMinutes(30));
        Assert.True(code == 0, $"exit {code}\n{o}\n{err}");
        Assert.Contains($"{Files} added, 0 updated, 0 unchanged, 0 removed, 0 failed", o);

        var m = Regex.Match(o, @"(\d+) files, (\d+) pages, (\d+) chunks in ([\d.]+) s \(([\d.]+) files/s, ([\d.]+) pages/s, ([\d.]+) chunks/s\)");
        Assert.True(m.Success, o);
        double F(int g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"{F(1)} files, {F(2)} pages, {F(3)} chunks in {F(4):F1} s");
        output.WriteLine($"files/s {F(5):F1}  pages/s {F(6):F1}  chunks/s {F(7):F1}");
        Assert.Equal(Files, (int)F(1));

        using var kb = KnowledgeBase.Open(Path.Combine(scratch.Bases, "bench.kb.sqlite"));
        var docs = kb.Documents();
        Assert.Equal(Files, docs.Count);
        Assert.Equal((int)F(3), docs.Sum(d => d.Chunks));
        Assert.Equal((int)F(2), docs.Sum(d => d.Pages));
    }
}

using System.Diagnostics;
using Baimo.Knowledge;
using Baimo.Knowledge.Tests.Corpus;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Baimo.Cli.Tests;

/// <summary>
/// Kills a real <c>baimo kb add</c> process mid-run (SIGKILL, no chance to clean up) and checks that the base it
/// leaves behind is consistent and that running the same command again finishes the job.
/// </summary>
[Collection(KbCollection.Name)]
public sealed class KbCrashTests(ITestOutputHelper output)
{
    private const int Files = 300;

    [Fact]
    public async Task Killed_add_leaves_a_consistent_base_and_a_rerun_completes_it()
    {
        using var scratch = new KbScratch(setEnvironment: false);
        var folder = scratch.Folder("corpus");
        CorpusGenerator.Generate(folder, Files, seed: 2026);
        var basePath = Path.Combine(scratch.Bases, "crash.kb.sqlite");

        var (code, _, err) = await RunCli(scratch.Bases, ["kb", "create", "crash"], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, err);

        var child = Start(scratch.Bases, ["kb", "add", "crash", folder]);
        int seen = 0;
        bool killed = false;
        var guard = Stopwatch.StartNew();
        try
        {
            // Kill as soon as a few documents are committed, so most of the run is still ahead.
            while (!child.HasExited && guard.Elapsed < TimeSpan.FromMinutes(5))
            {
                seen = CountDocuments(basePath);
                if (seen >= 20)
                {
                    child.Kill(entireProcessTree: true);
                    killed = true;
                    break;
                }
                await Task.Delay(20);
            }
            Assert.True(killed || child.HasExited, "kb add neither progressed nor exited within the hang guard");
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }

        int before;
        using (var kb = KnowledgeBase.Open(basePath))
        {
            before = kb.Documents().Count;
            bool midRun = killed && before < Files;
            output.WriteLine(midRun
                ? $"killed kb add after {seen} documents were seen committed; {before} of {Files} in the base afterwards"
                : $"kb add finished before it could be killed ({before} documents); checking consistency only");
        }
        AssertConsistent(basePath);

        using (var kb = KnowledgeBase.Open(basePath))
        {
            if (before > 0)
            {
                var first = kb.Documents()[0];
                var hits = await kb.SearchAsync(FirstWords(basePath, first.Source), 5);
                Assert.NotEmpty(hits);
            }
        }

        (code, var o, err) = await RunCli(scratch.Bases, ["kb", "add", "crash", folder, "--quiet"], TimeSpan.FromMinutes(10));
        output.WriteLine(o);
        Assert.True(code == 0, $"exit {code}\n{o}\n{err}");
        Assert.Contains($"{Files - before} added, 0 updated, {before} unchanged, 0 removed, 0 failed", o);

        AssertConsistent(basePath);
        using (var kb = KnowledgeBase.Open(basePath))
        {
            var docs = kb.Documents();
            Assert.Equal(Files, docs.Count);
            var expected = Directory.GetFiles(folder).Select(p => "corpus/" + Path.GetFileName(p)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, docs.Select(d => d.Source).Order(StringComparer.Ordinal));
            Assert.All(docs, d => Assert.True(d.Chunks > 0, d.Source));
        }
    }

    /// <summary>The file passes SQLite's own check and every document owns exactly the chunks it claims.</summary>
    private static void AssertConsistent(string basePath)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = basePath, Pooling = false }.ToString());
        c.Open();
        Assert.Equal("ok", Scalar(c, "PRAGMA integrity_check"));
        Assert.Equal(0L, Scalar(c, "SELECT count(*) FROM pragma_foreign_key_check"));
        Assert.Equal(0L, Scalar(c, """
            SELECT count(*) FROM documents d
            WHERE d.chunk_count != (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)
            """));
        Assert.Equal(0L, Scalar(c, "SELECT count(*) FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)"));
        // The contentless full-text table must have one row per chunk, or search would miss or invent hits.
        Assert.Equal(Scalar(c, "SELECT count(*) FROM chunks"), Scalar(c, "SELECT count(*) FROM chunk_terms"));
        using var kb = KnowledgeBase.Open(basePath);
        foreach (var d in kb.Documents())
            Assert.Equal(d.Chunks, Convert.ToInt32(Scalar(c, $"SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.source = '{d.Source.Replace("'", "''")}'")));
    }

    private static string FirstWords(string basePath, string source)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = basePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.source = $s ORDER BY c.ordinal LIMIT 1";
        cmd.Parameters.AddWithValue("$s", source);
        var text = (string)cmd.ExecuteScalar()!;
        return string.Join(' ', text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Take(8));
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    /// <summary>Documents committed so far, read without taking part in the writer's transactions; 0 before the file exists.</summary>
    private static int CountDocuments(string basePath)
    {
        if (!File.Exists(basePath)) return 0;
        try
        {
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = basePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            c.Open();
            return Convert.ToInt32(Scalar(c, "SELECT count(*) FROM documents"));
        }
        catch (SqliteException) { return 0; } // busy or mid-checkpoint: try again on the next poll
    }

    /// <summary>The CLI as its own process: the build copies baimo.dll next to this assembly.</summary>
    internal static Process Start(string bases, string[] args, bool redirectOutput = true)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "baimo.dll");
        Assert.True(File.Exists(dll), $"{dll} not found");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = redirectOutput,
            RedirectStandardError = redirectOutput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["BAIMO_KB"] = bases;
        var p = Process.Start(info)!;
        if (redirectOutput)
        {
            // Drained so a full pipe never blocks the child.
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
        }
        return p;
    }

    internal static async Task<(int Code, string Out, string Err)> RunCli(string bases, string[] args, TimeSpan hangGuard)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "baimo.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["BAIMO_KB"] = bases;
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        try { await p.WaitForExitAsync().WaitAsync(hangGuard); }
        catch (TimeoutException) { p.Kill(entireProcessTree: true); throw; }
        return (p.ExitCode, await o, await e);
    }
}

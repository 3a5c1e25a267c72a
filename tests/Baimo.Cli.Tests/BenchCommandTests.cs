using System.Text.Json;
using Baimo.Testing;

namespace Baimo.Cli.Tests;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("baimo-bench-cache").FullName;
    private readonly string? _previous = Environment.GetEnvironmentVariable("BAIMO_CACHE");

    public BenchCommandTests() => Environment.SetEnvironmentVariable("BAIMO_CACHE", _cache);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("BAIMO_CACHE", _previous);
        Directory.Delete(_cache, true);
    }

    [Fact]
    public void JsonHasLlamaBenchFieldsForPromptAndGenerationTests()
    {
        var (code, o, e) = CliRunner.Run("bench", "-m", Oracle.Path("models", "stories260K.gguf"), "-p", "16", "-n", "8", "-t", "1,2", "-r", "2", "--json");
        Assert.True(code == 0, e);
        var results = JsonDocument.Parse(o).RootElement.EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        foreach (var r in results)
        {
            foreach (var field in new[] { "n_prompt", "n_gen", "n_threads", "type", "avg_ts", "stddev_ts", "model_size", "model_type", "samples_ts" })
                Assert.True(r.TryGetProperty(field, out _), $"missing {field}");
            Assert.True(r.GetProperty("avg_ts").GetDouble() > 0);
            Assert.Equal(2, r.GetProperty("samples_ts").GetArrayLength());
            Assert.Equal("F32", r.GetProperty("type").GetString());
            bool prompt = r.GetProperty("n_prompt").GetInt32() > 0;
            Assert.Equal(prompt ? 0 : 8, r.GetProperty("n_gen").GetInt32());
        }
        Assert.Equal([1, 1, 2, 2], results.Select(r => r.GetProperty("n_threads").GetInt32()));
    }

    [Fact]
    public void SyntheticModelIsCreatedOnceAndCached()
    {
        var (code, o, e) = CliRunner.Run("bench", "--synthetic", "stories-15m", "--type", "Q8_0", "-p", "8", "-n", "4", "-r", "1");
        Assert.True(code == 0, e);
        Assert.Contains("creating", e);
        Assert.Contains("| pp8 |".Replace(" ", ""), o.Replace(" ", ""));
        Assert.Contains("tg4", o);
        Assert.Contains("Q8_0", o);
        var file = Directory.GetFiles(Path.Combine(_cache, "synthetic"), "stories-15m-Q8_0.gguf").Single();
        var stamp = File.GetLastWriteTimeUtc(file);
        (code, _, e) = CliRunner.Run("bench", "--synthetic", "stories-15m", "--type", "Q8_0", "-p", "8", "-n", "0", "-r", "1");
        Assert.Equal(0, code);
        Assert.DoesNotContain("creating", e);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(file));
    }

    [Theory]
    [InlineData("bench")]
    [InlineData("bench", "--synthetic", "gpt-5")]
    [InlineData("bench", "--synthetic", "stories-15m", "--type", "Q9_9")]
    [InlineData("bench", "--synthetic", "stories-15m", "--type", "Q8_K")]
    [InlineData("bench", "--synthetic", "stories-15m", "-t", "0")]
    [InlineData("bench", "--synthetic", "stories-15m", "-p", "x")]
    public void UsageErrors(params string[] args)
    {
        var (code, _, e) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("baimo: ", e);
    }
}

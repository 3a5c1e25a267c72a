using System.Text.Json;
using Baimo.Models;
using Baimo.Testing;

namespace Baimo.Generation.Tests;

public class PerplexityTests
{
    [Fact]
    public void Stories260KPerplexityEqualsTheReferenceToFourDecimals()
    {
        var reference = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "stories260K.ref.json"))).RootElement.GetProperty("perplexity");
        using var m = ModelRegistry.LoadDecoder(Oracle.Path("models", "stories260K.gguf"));
        var r = Perplexity.Compute(m, File.ReadAllText(Oracle.Path("models", "ppl-text.txt")), 128, threads: 2);
        Assert.Equal(reference.GetProperty("ppl").GetDouble(), Math.Round(r.Value, 4));
        Assert.Equal(reference.GetProperty("ppl_stderr").GetDouble(), Math.Round(r.StandardError, 5));
        var running = reference.GetProperty("running_ppl_after_each_chunk").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(running, r.RunningAfterChunk.Select(v => Math.Round(v, 4)));
    }

    [Fact]
    public void TooShortATextIsAClearError()
    {
        using var m = ModelRegistry.LoadDecoder(Oracle.Path("models", "stories260K.gguf"));
        var e = Assert.Throws<ArgumentException>(() => Perplexity.Compute(m, "Once upon a time", 128));
        Assert.Contains("at least", e.Message);
    }
}

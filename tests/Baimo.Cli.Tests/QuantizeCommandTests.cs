using Baimo.Formats.Gguf;
using Baimo.Generation;
using Baimo.Models;
using Baimo.Testing;

namespace Baimo.Cli.Tests;

public sealed class QuantizeCommandTests : IDisposable
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");
    private static readonly string SynthF32 = Oracle.Path("models", "synth-llama", "synth-llama-F32.gguf");
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-quantize").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Out(string name) => Path.Combine(_dir, name);

    [Fact]
    public void QuantizesAndPrintsASummary()
    {
        var output = Out("s.gguf");
        var (code, o, e) = CliRunner.Run("quantize", Stories, output, "Q4_K_M", "-t", "2");
        Assert.True(code == 0, e);
        Assert.Matches(@"^stories260K\.gguf \(1\.13 MiB\) -> s\.gguf \(0\.\d\d MiB\) as Q4_K_M in \d+\.\d s\n$", o.ReplaceLineEndings("\n"));
        // Not a terminal: one plain line per tensor, then the fallback warning (64- and 172-wide rows).
        Assert.Contains("[ 1/48] output.weight", e);
        Assert.Contains("[48/48] blk.4.ffn_up.weight", e);
        Assert.DoesNotContain("\r", e);
        Assert.Contains("warning: 36 of 37 tensors used a fallback type", e);
        using var f = GgufFile.Open(output);
        Assert.Equal(15L, f.Metadata.GetInt("general.file_type"));
        Assert.Equal(new[] { output }, Directory.GetFiles(_dir));   // no temporary file left behind
    }

    [Fact]
    public void PureQ8_0MatchesTheOracleFile()
    {
        var output = Out("q8.gguf");
        var (code, _, e) = CliRunner.Run("quantize", SynthF32, output, "q8_0", "--pure");
        Assert.True(code == 0, e);
        Assert.True(File.ReadAllBytes(Oracle.Path("models", "synth-llama", "synth-llama-Q8_0.gguf")).AsSpan().SequenceEqual(File.ReadAllBytes(output)));
    }

    [Fact]
    public void UnknownTypeListsTheValidOnes()
    {
        var (code, o, e) = CliRunner.Run("quantize", Stories, Out("x.gguf"), "Q7_K");
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.Contains("unknown TYPE 'Q7_K'", e);
        foreach (var t in new[] { "Q4_0", "Q4_K_M", "Q5_K_S", "Q2_K", "IQ4_XS", "Q8_0", "F16", "BF16", "F32" }) Assert.Contains(t, e);
        Assert.False(File.Exists(Out("x.gguf")));
    }

    [Fact]
    public void MissingArgumentsAreUsageErrors()
    {
        Assert.Equal(2, CliRunner.Run("quantize", Stories, Out("x.gguf")).Code);
        Assert.Equal(2, CliRunner.Run("quantize", Stories, Out("x.gguf"), "Q8_0", "-t", "-1").Code);
    }

    [Fact]
    public void MissingInputIsARuntimeError()
    {
        var (code, _, e) = CliRunner.Run("quantize", Out("none.gguf"), Out("x.gguf"), "Q8_0");
        Assert.Equal(1, code);
        Assert.Contains("not found", e);
    }

    [Fact]
    public void MalformedInputIsARuntimeErrorAndWritesNothing()
    {
        var bad = Out("bad.gguf");
        File.WriteAllBytes(bad, "GGUF\u0003\0\0\0garbage that is not a header"u8.ToArray());
        var (code, _, e) = CliRunner.Run("quantize", bad, Out("x.gguf"), "Q8_0");
        Assert.Equal(1, code);
        Assert.StartsWith("baimo: error:", e);
        Assert.Equal(new[] { bad }, Directory.GetFiles(_dir));
    }

    [Fact]
    public void OutputSameAsInputIsRefused()
    {
        var copy = Out("m.gguf");
        File.Copy(Stories, copy);
        var before = File.ReadAllBytes(copy);
        var (code, _, e) = CliRunner.Run("quantize", copy, Path.Combine(_dir, ".", "m.gguf"), "Q8_0");
        Assert.Equal(2, code);
        Assert.Contains("overwrite the input", e);
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void RequantizingWarns()
    {
        var (code, _, e) = CliRunner.Run("quantize", Oracle.Path("models", "synth-llama", "synth-llama-Q8_0.gguf"), Out("r.gguf"), "Q4_0", "--pure");
        Assert.Equal(0, code);
        Assert.Contains("warning: requantized tensors that were already Q8_0", e);
    }

    /// <summary>
    /// Perplexity of stories260K (reference F32: 5.2738, -c 128) after quantizing with each recipe. Bounds
    /// are the measured relative increase (docs/quantization.md) with headroom for kernel changes.
    /// </summary>
    [Theory]
    [InlineData("F16", 0.001)]
    [InlineData("Q8_0", 0.01)]
    [InlineData("Q6_K", 0.01)]
    [InlineData("Q5_K_M", 0.02)]
    [InlineData("Q4_K_M", 0.05)]
    [InlineData("Q4_0", 0.08)]
    [InlineData("IQ4_XS", 0.08)]
    [InlineData("Q3_K_M", 0.10)]
    [InlineData("Q2_K", 0.10)]
    public void QuantizedModelLoadsAndKeepsPerplexity(string type, double maxIncrease)
    {
        var output = Out($"stories-{type}.gguf");
        var (code, _, e) = CliRunner.Run("quantize", Stories, output, type, "-t", "2");
        Assert.True(code == 0, e);
        var text = File.ReadAllText(Oracle.Path("models", "ppl-text.txt"));
        using var model = ModelRegistry.LoadDecoder(output);
        double ppl = Perplexity.Compute(model, text, 128, threads: 2).Value;
        const double F32 = 5.2738;
        Assert.True(ppl < F32 * (1 + maxIncrease) && ppl > F32 * (1 - maxIncrease), $"{type}: PPL {ppl:F4} vs F32 {F32}");
    }
}

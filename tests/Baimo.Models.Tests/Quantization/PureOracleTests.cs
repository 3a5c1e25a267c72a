using Baimo.Formats.Gguf;
using Baimo.Models.Quantization;
using Baimo.Testing;

namespace Baimo.Models.Tests.Quantization;

/// <summary>
/// <c>--pure</c> quantization of the synth-llama F32 model against the oracle's llama-quantize outputs
/// (each made with <c>llama-quantize --pure synth-llama-F32.gguf … TYPE</c>, TYPE as in its ref.json).
/// </summary>
public sealed class PureOracleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-quant").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Synth(string type) => Oracle.Path("models", "synth-llama", $"synth-llama-{type}.gguf");

    private string Quantize(string target, string fileName)
    {
        Assert.True(QuantizationTargets.TryParse(target, out var t));
        var output = Path.Combine(_dir, fileName);
        ModelQuantizer.Quantize(Synth("F32"), output, new QuantizeOptions(t, Pure: true, Threads: 2));
        return output;
    }

    [Theory]
    [InlineData("F16", "F16")]
    [InlineData("BF16", "BF16")]
    [InlineData("Q8_0", "Q8_0")]
    [InlineData("Q4_0", "Q4_0")]
    [InlineData("Q4_1", "Q4_1")]
    [InlineData("Q5_0", "Q5_0")]
    [InlineData("Q5_1", "Q5_1")]
    [InlineData("Q2_K", "Q2_K")]
    [InlineData("Q3_K_S", "Q3_K")]
    [InlineData("Q4_K_M", "Q4_K")]
    [InlineData("Q5_K_M", "Q5_K")]
    [InlineData("Q6_K", "Q6_K")]
    [InlineData("IQ4_NL", "IQ4_NL")]
    [InlineData("IQ4_XS", "IQ4_XS")]
    public void MatchesLlamaQuantizeByteForByte(string target, string oracleType)
    {
        var ours = Quantize(target, $"{oracleType}.gguf");
        using (var a = GgufFile.Open(ours))
        using (var b = GgufFile.Open(Synth(oracleType)))
        {
            // Tensor by tensor first, so a mismatch names the tensor.
            Assert.Equal(b.Tensors.Select(t => t.Name), a.Tensors.Select(t => t.Name));
            foreach (var tb in b.Tensors)
            {
                var ta = a.GetTensor(tb.Name);
                Assert.Equal(tb.Type, ta.Type);
                Assert.Equal(tb.Shape, ta.Shape);
                Assert.True(b.GetTensorData(tb).SequenceEqual(a.GetTensorData(ta)), $"{tb.Name}: data differs");
            }
            Assert.True(b.Metadata.ContentEquals(a.Metadata), "metadata differs");
        }
        // Same metadata order, tensor order and alignment padding: the whole file is identical.
        Assert.True(File.ReadAllBytes(Synth(oracleType)).AsSpan().SequenceEqual(File.ReadAllBytes(ours)), "files differ");
    }

    [Fact]
    public void AliasQ3_KDiffersOnlyInFileType()
    {
        // Q3_K is llama-quantize's alias for Q3_K_M (file type 12); the oracle file was made as Q3_K_S (11).
        // With --pure both give Q3_K everywhere, so only general.file_type differs.
        var ours = Quantize("Q3_K", "Q3_K-alias.gguf");
        using var a = GgufFile.Open(ours);
        using var b = GgufFile.Open(Synth("Q3_K"));
        Assert.Equal(12L, a.Metadata.GetInt("general.file_type"));
        Assert.Equal(11L, b.Metadata.GetInt("general.file_type"));
        Assert.Equal(b.Metadata.Keys, a.Metadata.Keys);
        foreach (var key in b.Metadata.Keys.Where(k => k != "general.file_type"))
            Assert.True(GgufValuesEqual(b.Metadata[key], a.Metadata[key]), key);
        foreach (var tb in b.Tensors)
            Assert.True(b.GetTensorData(tb).SequenceEqual(a.GetTensorData(a.GetTensor(tb.Name))), tb.Name);
    }

    private static bool GgufValuesEqual(object x, object y) =>
        x is Array ax && y is Array ay
            ? ax.Length == ay.Length && ax.Cast<object>().Zip(ay.Cast<object>()).All(p => Equals(p.First, p.Second))
            : Equals(x, y);

    [Fact]
    public void RequantizingCopiesTensorsAlreadyInTheTargetType()
    {
        // llama-quantize leaves a tensor that already has the chosen type untouched; so does Baimo, so
        // Q8_0 → Q8_0 reproduces the input's tensor data exactly.
        var output = Path.Combine(_dir, "again.gguf");
        Assert.True(QuantizationTargets.TryParse("Q8_0", out var t));
        var r = ModelQuantizer.Quantize(Synth("Q8_0"), output, new QuantizeOptions(t, Pure: true));
        Assert.Empty(r.RequantizedFrom);
        Assert.True(File.ReadAllBytes(Synth("Q8_0")).AsSpan().SequenceEqual(File.ReadAllBytes(output)));
    }

    [Fact]
    public void RequantizingFromAnotherQuantizedTypeIsReported()
    {
        var output = Path.Combine(_dir, "q4.gguf");
        Assert.True(QuantizationTargets.TryParse("Q4_0", out var t));
        var r = ModelQuantizer.Quantize(Synth("Q8_0"), output, new QuantizeOptions(t, Pure: true));
        Assert.Equal([Baimo.Tensors.WeightType.Q8_0], r.RequantizedFrom);
        using var f = GgufFile.Open(output);
        Assert.Equal(30, f.Tensors.Count(x => x.Type == Baimo.Tensors.WeightType.Q4_0));
    }

    [Fact]
    public void OutputEqualToInputIsRefused()
    {
        Assert.True(QuantizationTargets.TryParse("Q8_0", out var t));
        var e = Assert.Throws<ArgumentException>(() => ModelQuantizer.Quantize(Synth("F32"), Synth("F32"), new QuantizeOptions(t)));
        Assert.Equal("outputPath", e.ParamName);
    }
}

using Baimo.Formats.Gguf;
using Baimo.Testing;

namespace Baimo.Tensors.Tests;

/// <summary>
/// The synth-llama oracle models: the F32 source (read once, shared by the tests) and the llama-quantize
/// --pure outputs, one per weight type.
/// </summary>
public sealed class SynthModel
{
    public static string PathOf(string typeName) => Oracle.Path("models", "synth-llama", $"synth-llama-{typeName}.gguf");

    /// <summary>The F32 model's tensors as floats, by name (row-major [rows][ne0]).</summary>
    public IReadOnlyDictionary<string, (long[] Shape, float[] Data)> F32 { get; } = Load();

    private static Dictionary<string, (long[] Shape, float[] Data)> Load()
    {
        using var f = GgufFile.Open(PathOf("F32"));
        var d = new Dictionary<string, (long[], float[])>();
        foreach (var t in f.Tensors)
        {
            Assert.Equal(WeightType.F32, t.Type);
            d[t.Name] = (t.Shape, f.GetTensorData<float>(t).ToArray());
        }
        return d;
    }

    /// <summary>The weight types of the quantized files.</summary>
    public static readonly string[] QuantizedTypes =
        ["F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"];
}

using Baimo.Formats.Gguf;

namespace Baimo.Hosting.Store;

/// <summary>
/// The facts a manifest records from the GGUF header: architecture and weight type. Reading the header is
/// cheap (the tensor data stays mapped, untouched), so this runs once per pull.
/// </summary>
public static class GgufFacts
{
    /// <summary>llama.cpp's <c>general.file_type</c> numbers, named as in quantized file names.</summary>
    private static readonly Dictionary<long, string> FileTypes = new()
    {
        [0] = "F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [7] = "Q8_0", [8] = "Q5_0", [9] = "Q5_1",
        [10] = "Q2_K", [11] = "Q3_K_S", [12] = "Q3_K_M", [13] = "Q3_K_L", [14] = "Q4_K_S", [15] = "Q4_K_M",
        [16] = "Q5_K_S", [17] = "Q5_K_M", [18] = "Q6_K", [19] = "IQ2_XXS", [20] = "IQ2_XS", [21] = "Q2_K_S",
        [22] = "IQ3_XS", [23] = "IQ3_XXS", [24] = "IQ1_S", [25] = "IQ4_NL", [26] = "IQ3_S", [27] = "IQ3_M",
        [28] = "IQ2_S", [29] = "IQ2_M", [30] = "IQ4_XS", [31] = "IQ1_M", [32] = "BF16",
    };

    public static (string Architecture, string WeightType) Read(string path)
    {
        using var file = GgufFile.Open(path);
        var arch = file.Metadata.GetString("general.architecture") ?? "unknown";
        return (arch, WeightTypeOf(file));
    }

    /// <summary>
    /// The file type the header declares when it is a known one; otherwise the type holding most weight
    /// elements among matrices (norms and biases are F32 in every file and would say nothing).
    /// </summary>
    public static string WeightTypeOf(GgufFile file)
    {
        if (file.Metadata.GetInt("general.file_type") is { } ft && FileTypes.TryGetValue(ft, out var name)) return name;
        var matrices = file.Tensors.Where(t => t.Shape.Length >= 2).ToList();
        if (matrices.Count == 0) return "unknown";
        return matrices.GroupBy(t => t.TypeName).OrderByDescending(g => g.Sum(t => t.ElementCount)).First().Key;
    }
}

using Baimo.Tensors;

namespace Baimo.Formats.Safetensors;

/// <summary>The element types the safetensors format defines, with their sizes and the weight types Baimo computes with.</summary>
public static class SafetensorsDType
{
    // Every dtype of the format: a file holding any of them is valid, even though only the float
    // types below can become weights (integer buffers such as position ids often sit beside them).
    private static readonly Dictionary<string, int> SizeBits = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 8, ["U8"] = 8, ["I8"] = 8, ["F8_E5M2"] = 8, ["F8_E4M3"] = 8, ["F8_E8M0"] = 8,
        ["I16"] = 16, ["U16"] = 16, ["F16"] = 16, ["BF16"] = 16,
        ["I32"] = 32, ["U32"] = 32, ["F32"] = 32,
        ["I64"] = 64, ["U64"] = 64, ["F64"] = 64,
        ["F4"] = 4, ["F6_E2M3"] = 6, ["F6_E3M2"] = 6,
    };

    /// <summary>Whether <paramref name="dtype"/> is one of the format's type names.</summary>
    public static bool IsKnown(string dtype) => SizeBits.ContainsKey(dtype);

    /// <summary>Bits per element of a known dtype.</summary>
    public static int BitsOf(string dtype) => SizeBits[dtype];

    /// <summary>The weight type a tensor of this dtype is computed in, or false when Baimo has none.</summary>
    public static bool TryGetWeightType(string dtype, out WeightType type)
    {
        (bool ok, type) = dtype switch
        {
            "F32" => (true, WeightType.F32),
            "F16" => (true, WeightType.F16),
            "BF16" => (true, WeightType.BF16),
            _ => (false, default(WeightType)),
        };
        return ok;
    }
}

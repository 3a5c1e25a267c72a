using Baimo.Tensors;

namespace Baimo.Models.Quantization;

/// <summary>
/// A TYPE argument of <c>baimo quantize</c>: the file type written to <c>general.file_type</c> and the
/// default weight type every quantizable tensor starts from before the recipe adjusts it.
/// </summary>
/// <param name="Name">The name as llama-quantize spells it (e.g. "Q4_K_M").</param>
/// <param name="FileType">What <c>general.file_type</c> records.</param>
/// <param name="DefaultType">The type of most 2-D weights (the only type with <c>--pure</c>).</param>
/// <param name="Description">One line for the help text.</param>
public sealed record QuantizationTarget(string Name, LlamaFileType FileType, WeightType DefaultType, string Description)
{
    /// <summary>Whether <see cref="DefaultType"/> is a block-quantized type (not F32/F16/BF16): only then does the recipe apply.</summary>
    public bool IsQuantized => DefaultType is not (WeightType.F32 or WeightType.F16 or WeightType.BF16);
}

/// <summary>
/// The TYPE names Baimo accepts: llama-quantize's names for every file type whose weight types Baimo can
/// encode, including its aliases (Q3_K = Q3_K_M, Q4_K = Q4_K_M, Q5_K = Q5_K_M). Types that need an
/// importance matrix (Q2_K_S, IQ1/IQ2/IQ3) are absent because Baimo does not take one.
/// </summary>
public static class QuantizationTargets
{
    private static readonly QuantizationTarget[] Table =
    [
        new("Q4_0", LlamaFileType.MostlyQ4_0, WeightType.Q4_0, "4.5 bits per weight, legacy"),
        new("Q4_1", LlamaFileType.MostlyQ4_1, WeightType.Q4_1, "5.0 bits per weight, legacy"),
        new("Q5_0", LlamaFileType.MostlyQ5_0, WeightType.Q5_0, "5.5 bits per weight, legacy"),
        new("Q5_1", LlamaFileType.MostlyQ5_1, WeightType.Q5_1, "6.0 bits per weight, legacy"),
        new("IQ4_NL", LlamaFileType.MostlyIQ4_NL, WeightType.IQ4_NL, "4.5 bits per weight, non-linear"),
        new("IQ4_XS", LlamaFileType.MostlyIQ4_XS, WeightType.IQ4_XS, "4.25 bits per weight, non-linear"),
        new("Q2_K", LlamaFileType.MostlyQ2_K, WeightType.Q2_K, "Q2_K mixture (attn_v, ffn_down, attn_output in Q3_K/Q4_K)"),
        new("Q3_K_S", LlamaFileType.MostlyQ3_K_S, WeightType.Q3_K, "Q3_K throughout"),
        new("Q3_K_M", LlamaFileType.MostlyQ3_K_M, WeightType.Q3_K, "Q3_K with Q4_K/Q5_K for attn_v, attn_output, ffn_down"),
        new("Q3_K_L", LlamaFileType.MostlyQ3_K_L, WeightType.Q3_K, "Q3_K with Q5_K for attn_v, attn_output, ffn_down"),
        new("Q3_K", LlamaFileType.MostlyQ3_K_M, WeightType.Q3_K, "alias for Q3_K_M"),
        new("Q4_K_S", LlamaFileType.MostlyQ4_K_S, WeightType.Q4_K, "Q4_K with Q5_K for the first layers' attn_v and ffn_down"),
        new("Q4_K_M", LlamaFileType.MostlyQ4_K_M, WeightType.Q4_K, "Q4_K with Q6_K for half of attn_v and ffn_down"),
        new("Q4_K", LlamaFileType.MostlyQ4_K_M, WeightType.Q4_K, "alias for Q4_K_M"),
        new("Q5_K_S", LlamaFileType.MostlyQ5_K_S, WeightType.Q5_K, "Q5_K throughout"),
        new("Q5_K_M", LlamaFileType.MostlyQ5_K_M, WeightType.Q5_K, "Q5_K with Q6_K for half of attn_v and ffn_down"),
        new("Q5_K", LlamaFileType.MostlyQ5_K_M, WeightType.Q5_K, "alias for Q5_K_M"),
        new("Q6_K", LlamaFileType.MostlyQ6_K, WeightType.Q6_K, "6.56 bits per weight"),
        new("Q8_0", LlamaFileType.MostlyQ8_0, WeightType.Q8_0, "8.5 bits per weight"),
        new("F16", LlamaFileType.MostlyF16, WeightType.F16, "16-bit float"),
        new("BF16", LlamaFileType.MostlyBF16, WeightType.BF16, "16-bit bfloat"),
        new("F32", LlamaFileType.AllF32, WeightType.F32, "32-bit float (no quantization)"),
    ];

    /// <summary>Every accepted name, in the order the help lists them.</summary>
    public static IReadOnlyList<QuantizationTarget> All => Table;

    /// <summary>The target named <paramref name="name"/> (case-insensitive, as llama-quantize matches), or false.</summary>
    public static bool TryParse(string name, out QuantizationTarget target)
    {
        foreach (var t in Table)
            if (string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)) { target = t; return true; }
        target = null!;
        return false;
    }

    /// <summary>The target whose file type is <paramref name="fileType"/> and whose name is the canonical one (not an alias).</summary>
    public static QuantizationTarget ForFileType(LlamaFileType fileType) =>
        Table.First(t => t.FileType == fileType && !t.Description.StartsWith("alias", StringComparison.Ordinal));
}

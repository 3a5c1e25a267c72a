using Baimo.Formats.Gguf;
using Baimo.Tensors;

namespace Baimo.Models.Quantization;

/// <summary>What happens to one tensor: kept as stored (<see cref="Convert"/> false) or converted to <see cref="TargetType"/>.</summary>
/// <param name="Source">The tensor in the input file.</param>
/// <param name="TargetType">Its type in the output.</param>
/// <param name="Convert">Whether the data is dequantized and re-encoded (false: bytes copied unchanged).</param>
/// <param name="FallbackNote">Why the type differs from the recipe's choice, when it does.</param>
public sealed record TensorPlan(GgufTensorInfo Source, WeightType TargetType, bool Convert, string? FallbackNote);

/// <summary>
/// The per-tensor types of a quantized model, decided up front (like llama-quantize, before any data is
/// read): which tensors are quantized at all, the recipe's type for each, and the output order.
/// </summary>
public sealed class QuantizationPlan
{
    private QuantizationPlan(IReadOnlyList<TensorPlan> tensors, int fallbacks, int quantized)
    {
        Tensors = tensors;
        FallbackCount = fallbacks;
        QuantizedCount = quantized;
    }

    /// <summary>Every tensor, in output order.</summary>
    public IReadOnlyList<TensorPlan> Tensors { get; }

    /// <summary>Tensors whose row length forced a fallback type.</summary>
    public int FallbackCount { get; }

    /// <summary>Tensors that were candidates for quantization (2-D/3-D weights that are not norms).</summary>
    public int QuantizedCount { get; }

    /// <summary>Plans the conversion of <paramref name="tensors"/> (a file's tensor list).</summary>
    /// <param name="model">Hyperparameters the recipe consults.</param>
    /// <param name="tensors">The input tensors, in any order.</param>
    /// <param name="target">The requested file type.</param>
    /// <param name="pure">Every quantizable tensor in the target's default type, no recipe (llama-quantize <c>--pure</c>).</param>
    public static QuantizationPlan Create(QuantizationModelInfo model, IEnumerable<GgufTensorInfo> tensors, QuantizationTarget target, bool pure)
    {
        var ordered = tensors.OrderBy(t => t.Name, TensorOrder.Instance).ToList();
        var recipe = new TensorTypeRecipe(model, target.FileType, ordered.Select(t => t.Name));
        var plans = new List<TensorPlan>(ordered.Count);
        int fallbacks = 0, candidates = 0;
        foreach (var t in ordered)
        {
            if (!IsQuantizable(t))
            {
                plans.Add(new TensorPlan(t, t.Type, false, null));
                continue;
            }
            candidates++;
            var type = target.DefaultType;
            string? note = null;
            if (!pure && target.IsQuantized)
                type = recipe.Choose(t.Name, t.RowLength, type, out note);
            else
                // llama-quantize --pure would stop on a row length the type cannot hold; Baimo applies the
                // recipe's fallback instead so that every model can be converted.
                type = TensorTypeRecipe.Fit(type, t.RowLength, out note);
            if (note != null) fallbacks++;
            // A tensor already in the chosen type is copied, not re-encoded (re-encoding could change it).
            plans.Add(new TensorPlan(t, type, type != t.Type, note));
        }
        return new QuantizationPlan(plans, fallbacks, candidates);
    }

    /// <summary>
    /// llama-quantize's test for tensors that are quantized at all: names ending in "weight" with at least
    /// two dimensions, except norms, MoE routers, BERT position/token-type tables, and the small 2-D
    /// tensors of Mamba, RWKV and T5 that must stay exact.
    /// </summary>
    public static bool IsQuantizable(GgufTensorInfo t)
    {
        var name = t.Name;
        if (!name.EndsWith("weight", StringComparison.Ordinal)) return false;
        if (Dimensions(t.Shape) < 2) return false;
        if (name is "position_embd.weight" or "token_types.weight") return false;
        string[] excluded =
        [
            "_norm.weight", "ffn_gate_inp.weight", "ssm_conv1d.weight", "time_mix_first.weight", "time_mix_w1.weight",
            "time_mix_w2.weight", "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight",
            "attn_rel_b.weight",
        ];
        foreach (var e in excluded)
            if (name.Contains(e, StringComparison.Ordinal)) return false;
        return true;
    }

    // ggml_n_dims: trailing dimensions of size 1 do not count, and a tensor has at least one dimension.
    private static int Dimensions(long[] shape)
    {
        for (int i = shape.Length - 1; i >= 1; i--)
            if (shape[i] != 1) return i + 1;
        return 1;
    }
}

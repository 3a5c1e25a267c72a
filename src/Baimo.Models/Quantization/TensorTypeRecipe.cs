using Baimo.Tensors;
using F = Baimo.Models.Quantization.LlamaFileType;
using T = Baimo.Tensors.WeightType;

namespace Baimo.Models.Quantization;

/// <summary>
/// llama.cpp's mixed-precision recipe (<c>llama_tensor_get_type</c> in src/llama-quant.cpp): given the file
/// type and one tensor, the weight type that tensor gets. It is stateful, like llama.cpp's: attn_v and the
/// FFN matrices are numbered by how many were seen before, so tensors must be offered in the order
/// <see cref="TensorOrder"/> gives, each exactly once. Only the branches for the file types in
/// <see cref="QuantizationTargets"/> are implemented (no importance matrix, no IQ1–IQ3 mixtures).
/// </summary>
public sealed class TensorTypeRecipe
{
    private readonly QuantizationModelInfo _model;
    private readonly LlamaFileType _fileType;
    private readonly bool _hasOutput;
    private readonly int _attentionVCount;
    private int _attentionV, _ffnDown, _ffnGate, _ffnUp;

    /// <param name="model">Hyperparameters of the model.</param>
    /// <param name="fileType">The target file type.</param>
    /// <param name="tensorNames">Every tensor name in the file: the recipe needs to know whether output.weight exists and how many attn_v there are.</param>
    public TensorTypeRecipe(QuantizationModelInfo model, LlamaFileType fileType, IEnumerable<string> tensorNames)
    {
        _model = model;
        _fileType = fileType;
        foreach (var n in tensorNames)
        {
            if (n.Contains("attn_v.weight", StringComparison.Ordinal) || n.Contains("attn_qkv.weight", StringComparison.Ordinal)
                || n.Contains("attn_kv_b.weight", StringComparison.Ordinal))
                _attentionVCount++;
            else if (n == TensorOrder.Output) _hasOutput = true;
        }
    }

    /// <summary>Tensors whose type had to fall back because the row length is not a multiple of the chosen type's block.</summary>
    public int FallbackCount { get; private set; }

    /// <summary>Tensors whose chosen type fitted the row length.</summary>
    public int FittedCount { get; private set; }

    /// <summary>
    /// The type of one quantizable tensor (a 2-D or 3-D weight that is not a norm): the recipe's choice, then
    /// the fallback when its row length <paramref name="rowLength"/> is not a multiple of that type's block.
    /// </summary>
    public WeightType Choose(string name, long rowLength, WeightType defaultType, out string? fallbackNote)
    {
        var chosen = Recipe(name, rowLength, defaultType);
        var fitted = Fit(chosen, rowLength, out fallbackNote);
        if (fallbackNote != null) FallbackCount++; else FittedCount++;
        return fitted;
    }

    /// <summary>
    /// llama.cpp's replacement for a type whose block does not divide the row length: the nearest legacy
    /// type with 32-wide blocks, then F16 if even that does not fit. For types llama.cpp has no replacement
    /// for (it stops with "Unsupported tensor size"), Baimo uses F16, the same last resort.
    /// </summary>
    public static WeightType Fit(WeightType type, long rowLength, out string? note)
    {
        note = null;
        if (rowLength % WeightLayout.Of(type).BlockSize == 0) return type;
        var replacement = type switch
        {
            T.Q2_K or T.Q3_K or T.IQ4_XS => T.IQ4_NL,
            T.Q4_K => T.Q5_0,
            T.Q5_K => T.Q5_1,
            T.Q6_K => T.Q8_0,
            _ => T.F16,
        };
        if (rowLength % WeightLayout.Of(replacement).BlockSize != 0) replacement = T.F16;
        note = $"rows of {rowLength} are not a multiple of the {WeightLayout.Of(type).BlockSize}-wide {WeightLayout.Of(type).Name} blocks; using {WeightLayout.Of(replacement).Name}";
        return replacement;
    }

    private static bool UseMoreBits(int layer, int layers) =>
        layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;

    // For mixture-of-experts models the FFN tensors of one layer are not consecutive, so the layer comes
    // from the name; otherwise it is the running count, as in llama.cpp.
    private (int Layer, int Layers) LayerOf(int counter, string name)
    {
        int layers = _model.LayerCount;
        if (Math.Max(1, _model.ExpertCount) <= 1) return (counter, layers);
        int layer = TensorOrder.LayerOf(name);
        if (layer < 0) throw new InvalidDataException($"cannot determine the layer of tensor {name}");
        if (layer >= layers) throw new InvalidDataException($"tensor {name} is in layer {layer}, but the model has {layers}");
        return (layer, layers);
    }

    private WeightType Recipe(string name, long rowLength, WeightType type)
    {
        var ft = _fileType;
        var arch = _model.Architecture;
        bool falcon = arch == "falcon";
        int experts = _model.ExpertCount;
        int gqa = _model.GqaFactor;

        // The output projection (or the embedding table when it doubles as the output) keeps more bits.
        if (name == TensorOrder.Output || (!_hasOutput && name == TensorOrder.TokenEmbedding))
        {
            if (falcon || rowLength % WeightLayout.Of(type).BlockSize != 0) return T.Q8_0;
            return type != T.Q8_0 ? T.Q6_K : type;
        }
        if (name == TensorOrder.TokenEmbedding) return type;   // only IQ1–IQ3 and TQ mixtures change it

        if (name.Contains("attn_v.weight", StringComparison.Ordinal))
        {
            int i = _attentionV, n = _attentionVCount;
            if (ft == F.MostlyQ2_K) type = gqa >= 4 ? T.Q4_K : T.Q3_K;
            else if (ft == F.MostlyQ3_K_M) type = i < 2 ? T.Q5_K : T.Q4_K;
            else if (ft == F.MostlyQ3_K_L) type = T.Q5_K;
            else if (ft is F.MostlyIQ4_NL or F.MostlyIQ4_XS && gqa >= 4) type = T.Q5_K;
            else if (ft is F.MostlyQ4_K_M or F.MostlyQ5_K_M && UseMoreBits(i, n)) type = T.Q6_K;
            else if (ft == F.MostlyQ4_K_S && i < 4) type = T.Q5_K;
            // Eight query heads share each attn_v in that size class, so it is small: more bits cost little.
            if (_model.Is70BClass && type is T.Q3_K or T.Q4_K) type = T.Q5_K;
            if (experts == 8) type = T.Q8_0;
            _attentionV++;
        }
        else if (name.Contains("attn_k.weight", StringComparison.Ordinal))
        {
            if (experts == 8) type = T.Q8_0;
        }
        else if (name.Contains("attn_q.weight", StringComparison.Ordinal))
        {
            // only the IQ3 mixtures change attn_q
        }
        else if (name.Contains("ffn_down", StringComparison.Ordinal))
        {
            var (i, n) = LayerOf(_ffnDown, name);
            if (ft == F.MostlyQ2_K) type = T.Q3_K;
            else if (ft == F.MostlyQ3_K_M)
                type = i < n / 16 ? T.Q5_K : !falcon || UseMoreBits(i, n) ? T.Q4_K : T.Q3_K;
            else if (ft == F.MostlyQ3_K_L) type = falcon ? T.Q4_K : T.Q5_K;
            else if (ft == F.MostlyQ4_K_M)
            {
                if (falcon) type = i < n / 16 ? T.Q6_K : UseMoreBits(i, n) ? T.Q5_K : T.Q4_K;
                else if (UseMoreBits(i, n)) type = T.Q6_K;
            }
            else if (i < n / 8 && ft is F.MostlyIQ4_NL or F.MostlyIQ4_XS) type = T.Q5_K;
            else if (ft == F.MostlyQ5_K_M && UseMoreBits(i, n)) type = T.Q6_K;
            else if (ft == F.MostlyQ4_K_S && !falcon && i < n / 8) type = T.Q5_K;
            _ffnDown++;
        }
        else if (name.Contains("attn_output.weight", StringComparison.Ordinal))
        {
            if (!falcon)
            {
                if (experts == 8)
                {
                    if (ft is F.MostlyQ2_K or F.MostlyQ3_K_S or F.MostlyQ3_K_M or F.MostlyIQ4_NL
                        or F.MostlyQ4_K_S or F.MostlyQ4_K_M or F.MostlyIQ4_XS)
                        type = T.Q5_K;
                }
                else if (ft == F.MostlyQ2_K) type = T.Q3_K;
                else if (ft == F.MostlyQ3_K_M) type = T.Q4_K;
                else if (ft == F.MostlyQ3_K_L) type = T.Q5_K;
            }
            else if (ft == F.MostlyQ3_K_L) type = T.Q4_K;
        }
        else if (name.Contains("attn_qkv.weight", StringComparison.Ordinal))
        {
            if (ft is F.MostlyQ3_K_M or F.MostlyQ3_K_L) type = T.Q4_K;
            else if (ft == F.MostlyQ4_K_M) type = T.Q5_K;
            else if (ft == F.MostlyQ5_K_M) type = T.Q6_K;
        }
        else if (name.Contains("ffn_gate", StringComparison.Ordinal))
        {
            LayerOf(_ffnGate, name);   // only validates the layer; the IQ3_XS mixture would use it
            _ffnGate++;
        }
        else if (name.Contains("ffn_up", StringComparison.Ordinal))
        {
            LayerOf(_ffnUp, name);
            _ffnUp++;
        }
        return type;
    }
}

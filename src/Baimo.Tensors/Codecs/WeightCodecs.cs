using Baimo.Tensors.Quantization;

namespace Baimo.Tensors;

/// <summary>
/// The table of weight types Baimo can compute with. Weight types are data: supporting a new type means
/// writing its block codec and adding one row below.
/// </summary>
public static class WeightCodecs
{
    private static readonly WeightCodec[] Table =
    [
        //  type              activations       dequantize                  quantize (reference)      activation conversion (x86)
        new(WeightType.F32,    WeightType.F32,  FloatTypes.DequantizeF32,   FloatTypes.QuantizeF32,   FloatTypes.QuantizeF32),
        new(WeightType.F16,    WeightType.F16,  FloatTypes.DequantizeF16,   FloatTypes.QuantizeF16,   FloatTypes.QuantizeF16),
        new(WeightType.BF16,   WeightType.BF16, FloatTypes.DequantizeBF16,  FloatTypes.QuantizeBF16,  FloatTypes.QuantizeBF16),
        new(WeightType.Q4_0,   WeightType.Q8_0, Q4_0.Dequantize,            Q4_0.Quantize),
        new(WeightType.Q4_1,   WeightType.Q8_1, Q4_1.Dequantize,            Q4_1.Quantize),
        new(WeightType.Q5_0,   WeightType.Q8_0, Q5_0.Dequantize,            Q5_0.Quantize),
        new(WeightType.Q5_1,   WeightType.Q8_1, Q5_1.Dequantize,            Q5_1.Quantize),
        new(WeightType.Q8_0,   WeightType.Q8_0, Q8_0.Dequantize,            Q8_0.Quantize,            Q8_0.QuantizeActivations),
        new(WeightType.Q8_1,   WeightType.Q8_1, Q8_1.Dequantize,            Q8_1.Quantize,            Q8_1.QuantizeActivations),
        new(WeightType.Q2_K,   WeightType.Q8_K, Q2_K.Dequantize,            Q2_K.Quantize),
        new(WeightType.Q3_K,   WeightType.Q8_K, Q3_K.Dequantize,            Q3_K.Quantize),
        new(WeightType.Q4_K,   WeightType.Q8_K, Q4_K.Dequantize,            Q4_K.Quantize),
        new(WeightType.Q5_K,   WeightType.Q8_K, Q5_K.Dequantize,            Q5_K.Quantize),
        new(WeightType.Q6_K,   WeightType.Q8_K, Q6_K.Dequantize,            Q6_K.Quantize),
        new(WeightType.Q8_K,   WeightType.Q8_K, Q8_K.Dequantize,            Q8_K.Quantize,            Q8_K.Quantize),
        new(WeightType.IQ4_NL, WeightType.Q8_0, IQ4.DequantizeNl,           IQ4.QuantizeNl),
        new(WeightType.IQ4_XS, WeightType.Q8_K, IQ4.DequantizeXs,           IQ4.QuantizeXs),
    ];

    private static readonly Dictionary<WeightType, WeightCodec> ByType = Table.ToDictionary(c => c.Type);

    /// <summary>Every type Baimo can compute with, in table order.</summary>
    public static IReadOnlyList<WeightCodec> Supported => Table;

    /// <summary>Whether Baimo has a codec for <paramref name="type"/>.</summary>
    public static bool IsSupported(WeightType type) => ByType.ContainsKey(type);

    /// <summary>The codec of <paramref name="type"/>, or false.</summary>
    public static bool TryGet(WeightType type, out WeightCodec codec)
    {
        if (ByType.TryGetValue(type, out var c)) { codec = c; return true; }
        codec = null!;
        return false;
    }

    /// <summary>The codec for a tensor stored in <paramref name="type"/>.</summary>
    /// <exception cref="UnsupportedWeightTypeException">Baimo has no codec for the type; names the tensor.</exception>
    public static WeightCodec Get(WeightType type, string tensorName) =>
        ByType.TryGetValue(type, out var c) ? c : throw new UnsupportedWeightTypeException(type, tensorName);

    /// <summary>The codec of <paramref name="type"/> where no tensor is involved.</summary>
    /// <exception cref="UnsupportedWeightTypeException">Baimo has no codec for the type.</exception>
    public static WeightCodec Get(WeightType type) =>
        ByType.TryGetValue(type, out var c) ? c : throw new UnsupportedWeightTypeException(type, null);
}

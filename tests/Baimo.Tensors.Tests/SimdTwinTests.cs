using Baimo.Tensors.Quantization;

namespace Baimo.Tensors.Tests;

/// <summary>Every vectorized dequantizer gives exactly the bits of its scalar twin.</summary>
public class SimdTwinTests
{
    public delegate void Decode(ReadOnlySpan<byte> src, Span<float> dst);

    public static TheoryData<string> Kernels() => new(Twins.Keys);

    private static readonly Dictionary<string, (WeightType Type, Decode Vector, Decode Scalar)> Twins = new()
    {
        ["Q8_0"] = (WeightType.Q8_0, Q8_0.DequantizeVector, Q8_0.DequantizeScalar),
        ["Q4_0"] = (WeightType.Q4_0, Q4_0.DequantizeVector, Q4_0.DequantizeScalar),
        ["Q4_1"] = (WeightType.Q4_1, Q4_1.DequantizeVector, Q4_1.DequantizeScalar),
        ["Q4_K"] = (WeightType.Q4_K, Q4_K.DequantizeVector, Q4_K.DequantizeScalar),
        ["Q6_K"] = (WeightType.Q6_K, Q6_K.DequantizeVector, Q6_K.DequantizeScalar),
        ["Q5_K"] = (WeightType.Q5_K, Q5_K.DequantizeVector, Q5_K.DequantizeScalar),
        ["Q2_K"] = (WeightType.Q2_K, Q2_K.DequantizeVector, Q2_K.DequantizeScalar),
        ["Q3_K"] = (WeightType.Q3_K, Q3_K.DequantizeVector, Q3_K.DequantizeScalar),
        ["BF16"] = (WeightType.BF16, FloatTypes.DequantizeBF16Vector, FloatTypes.DequantizeBF16Scalar),
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void VectorAndScalarAgreeBitForBitOnRandomBlocks(string name)
    {
        var (type, vector, scalar) = Twins[name];
        var layout = WeightLayout.Of(type);
        var rnd = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        int maxBlocks = layout.BlockSize == 1 ? 257 : 40;
        for (int blocks = 0; blocks <= maxBlocks; blocks++)
        {
            var src = new byte[blocks * layout.BytesPerBlock];
            rnd.NextBytes(src);
            if (layout.BlockSize > 1) FiniteScales(type, src, layout.BytesPerBlock, rnd);
            var a = new float[blocks * layout.BlockSize];
            var b = new float[a.Length];
            vector(src, a);
            scalar(src, b);
            for (int i = 0; i < a.Length; i++)
                if (BitConverter.SingleToUInt32Bits(a[i]) != BitConverter.SingleToUInt32Bits(b[i]) && !(float.IsNaN(a[i]) && float.IsNaN(b[i])))
                    Assert.Fail($"{name}, {blocks} blocks: element {i} vector {a[i]:R} scalar {b[i]:R}");
        }
    }

    /// <summary>Random fp16 scales can be NaN/inf; keep them finite so the comparison is about the kernels.</summary>
    private static void FiniteScales(WeightType type, byte[] src, int bpb, Random rnd)
    {
        int[] at = type switch
        {
            WeightType.Q4_1 or WeightType.Q4_K or WeightType.Q5_K => [0, 2],
            WeightType.Q6_K => [208],
            WeightType.Q2_K => [80, 82],
            WeightType.Q3_K => [108],
            _ => [0],
        };
        for (int blk = 0; blk < src.Length / bpb; blk++)
            foreach (int o in at)
            {
                ushort h = (ushort)rnd.Next(0, 0x7C00);
                if (rnd.Next(2) == 0) h |= 0x8000;
                BitConverter.TryWriteBytes(src.AsSpan(blk * bpb + o, 2), h);
            }
    }
}

using Baimo.Testing;

namespace Baimo.Tensors.Tests;

/// <summary>Dequantization is bit-identical to ggml's to_float on the oracle's stored rows.</summary>
public class DequantizeOracleTests
{
    public static TheoryData<string> Types() => new(QuantRef.DequantTypes);

    [Theory]
    [MemberData(nameof(Types))]
    public void RawRowsDequantizeToTheOracleFloatsBitForBit(string typeName)
    {
        var entry = QuantRef.Root.GetProperty("dequant").GetProperty("files").GetProperty(typeName);
        var type = QuantRef.ParseType(typeName);
        byte[] raw = Convert.FromHexString(entry.GetProperty("raw_rows_hex").GetString()!); // [8 rows][row_bytes]
        float[] expected = QuantRef.ReadFloats(entry.GetProperty("file").GetString()!);       // [8][256]
        int rows = entry.GetProperty("rows").GetInt32(), cols = entry.GetProperty("ne0").GetInt32();
        Assert.Equal(rows * entry.GetProperty("row_bytes").GetInt32(), raw.Length);
        Assert.Equal(rows * cols, expected.Length);

        var codec = WeightCodecs.Get(type, entry.GetProperty("tensor").GetString()!);
        var actual = new float[rows * cols];
        codec.Dequantize(raw, actual);

        for (int i = 0; i < actual.Length; i++)
        {
            uint e = BitConverter.SingleToUInt32Bits(expected[i]), a = BitConverter.SingleToUInt32Bits(actual[i]);
            if (e != a)
                Assert.Fail($"{typeName}: element {i} (row {i / cols}, col {i % cols}) is {actual[i]:R} (0x{a:X8}), ggml gives {expected[i]:R} (0x{e:X8})");
        }
    }

    [Fact]
    public void EveryTypeInTheOracleIsCovered()
    {
        var types = QuantRef.DequantTypes.Select(QuantRef.ParseType).ToHashSet();
        foreach (var t in new[] { WeightType.F32, WeightType.F16, WeightType.BF16, WeightType.Q8_0, WeightType.Q4_0, WeightType.Q4_1,
                     WeightType.Q5_0, WeightType.Q5_1, WeightType.Q2_K, WeightType.Q3_K, WeightType.Q4_K, WeightType.Q5_K,
                     WeightType.Q6_K, WeightType.IQ4_NL, WeightType.IQ4_XS })
            Assert.Contains(t, types);
        _ = Oracle.Shared;
    }
}

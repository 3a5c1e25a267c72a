using System.Buffers.Binary;

namespace Baimo.Tensors.Tests;

/// <summary>
/// The activation conversions (what the x86 CPU matmul does to its float input) are byte-identical to the
/// oracle, including its tie block (elements that are exact halves, where half-to-even and half-away-from-
/// zero rounding differ).
/// </summary>
public class ActivationQuantizationTests
{
    private static readonly float[] Input = QuantRef.ReadFloats(
        QuantRef.Root.GetProperty("activation_quantization").GetProperty("input_file").GetString()!); // [1024]

    [Theory]
    [InlineData("q8_0", WeightType.Q8_0)]
    [InlineData("q8_1", WeightType.Q8_1)]
    [InlineData("q8_K", WeightType.Q8_K)]
    [InlineData("f16", WeightType.F16)]
    [InlineData("bf16", WeightType.BF16)]
    public void ConversionMatchesTheOracleByteForByte(string key, WeightType type)
    {
        var raw = QuantRef.Root.GetProperty("activation_quantization").GetProperty("raw").GetProperty(key);
        byte[] expected = Convert.FromHexString(raw.GetProperty("hex").GetString()!);
        var codec = WeightCodecs.Get(type);
        Assert.True(codec.IsActivationFormat);
        var actual = new byte[codec.RowBytes(Input.Length)];
        Assert.Equal(expected.Length, actual.Length);
        codec.QuantizeActivations(Input, actual);
        AssertBytes.Equal(expected, actual, codec.Layout.BytesPerBlock, key);
    }

    [Fact]
    public void TieBlockRoundsHalfToEvenWhereTheReferenceQuantizerRoundsAway()
    {
        // Block 3 of the input has amax 127, so d = 1 and every x·127/amax is the value itself: the .5 values
        // are exact ties.
        var block = Input.AsSpan(3 * 32, 32);
        Assert.Equal(127f, block[0]);
        Assert.Contains(block.ToArray(), v => v != MathF.Floor(v));
        var act = new byte[34];
        var reference = new byte[34];
        WeightCodecs.Get(WeightType.Q8_0).QuantizeActivations(block, act);
        WeightCodecs.Get(WeightType.Q8_0).Quantize(block, reference);
        for (int j = 0; j < 32; j++)
        {
            Assert.Equal((sbyte)MathF.Round(block[j], MidpointRounding.ToEven), (sbyte)act[2 + j]);
            Assert.Equal((sbyte)MathF.Round(block[j], MidpointRounding.AwayFromZero), (sbyte)reference[2 + j]);
        }
        Assert.False(act.AsSpan().SequenceEqual(reference));
    }

    [Fact]
    public void Q8KDecodedFieldsMatch()
    {
        var decoded = QuantRef.Root.GetProperty("activation_quantization").GetProperty("decoded").GetProperty("q8_K");
        var bytes = new byte[4 * 292];
        WeightCodecs.Get(WeightType.Q8_K).QuantizeActivations(Input, bytes);
        int i = 0;
        foreach (var block in decoded.EnumerateArray())
        {
            var b = bytes.AsSpan(i * 292, 292);
            Assert.Equal(block.GetProperty("d_f32").GetSingle(), BinaryPrimitives.ReadSingleLittleEndian(b));
            int j = 0;
            foreach (var q in block.GetProperty("qs").EnumerateArray()) Assert.Equal(q.GetInt32(), (sbyte)b[4 + j++]);
            if (block.TryGetProperty("bsums", out var bsums))
            {
                j = 0;
                foreach (var s in bsums.EnumerateArray())
                    Assert.Equal(s.GetInt32(), BinaryPrimitives.ReadInt16LittleEndian(b.Slice(260 + 2 * j++, 2)));
            }
            i++;
        }
        Assert.Equal(4, i);
    }
}

internal static class AssertBytes
{
    /// <summary>Byte equality with a message that says which block differs first.</summary>
    public static void Equal(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int blockBytes, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int first = expected.CommonPrefixLength(actual);
        if (first == expected.Length) return;
        int block = first / blockBytes;
        int diffs = 0;
        for (int i = 0; i < expected.Length; i++) if (expected[i] != actual[i]) diffs++;
        Assert.Fail($"{what}: {diffs} bytes differ, first at byte {first} (block {block}, offset {first % blockBytes}): " +
                    $"expected {Convert.ToHexString(expected.Slice(block * blockBytes, blockBytes))}, got {Convert.ToHexString(actual.Slice(block * blockBytes, blockBytes))}");
    }
}

namespace Baimo.Tensors.Tests;

public class Fp16Tests
{
    [Fact]
    public void EveryHalfConvertsToTheSameFloatAsSystemHalf()
    {
        for (int i = 0; i < 65536; i++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf((ushort)i);
            float actual = Fp16.ToSingle((ushort)i);
            Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual));
        }
    }

    [Fact]
    public void FloatToHalfRoundsToNearestEvenLikeSystemHalf()
    {
        // .NET's conversion is IEEE round-to-nearest-even; ours must agree everywhere except NaN payloads.
        var rnd = new Random(11);
        Span<byte> bits = stackalloc byte[4];
        for (int n = 0; n < 500_000; n++)
        {
            rnd.NextBytes(bits);
            uint u = BitConverter.ToUInt32(bits);
            if (n % 2 == 0) u = (u & 0x8000_0000u) | (0x3300_0000u + u % 0x1500_0000u); // concentrate on fp16's range
            float f = BitConverter.UInt32BitsToSingle(u);
            if (float.IsNaN(f)) continue;
            Assert.Equal(BitConverter.HalfToUInt16Bits((Half)f), Fp16.FromSingle(f));
        }
    }

    [Theory]
    [InlineData(0f, 0x0000)]
    [InlineData(-0f, 0x8000)]
    [InlineData(1f, 0x3C00)]
    [InlineData(65504f, 0x7BFF)]         // largest half
    [InlineData(65519.99f, 0x7BFF)]      // rounds down to it
    [InlineData(65520f, 0x7C00)]         // tie between 65504 and 65536 → even → infinity
    [InlineData(1e10f, 0x7C00)]
    [InlineData(float.NegativeInfinity, 0xFC00)]
    [InlineData(5.9604645e-8f, 0x0001)]  // smallest subnormal
    [InlineData(2.9802322e-8f, 0x0000)]  // half of it: tie → even → 0
    [InlineData(8.940697e-8f, 0x0002)]   // 1.5 ulps: tie → even → 2
    [InlineData(6.1035156e-5f, 0x0400)]  // smallest normal
    [InlineData(1.00048828125f, 0x3C00)] // 1 + half an ulp: tie → even
    [InlineData(1.00146484375f, 0x3C02)] // 1 + 1.5 ulps: tie → even (up)
    public void FloatToHalfEdgeCases(float value, int expected) => Assert.Equal((ushort)expected, Fp16.FromSingle(value));

    [Fact]
    public void NaNBecomesTheCanonicalQuietNaNWithItsSign()
    {
        Assert.Equal(0x7E00, Fp16.FromSingle(float.NaN) & 0x7FFF);
        Assert.Equal(0x7E00, Fp16.FromSingle(BitConverter.UInt32BitsToSingle(0x7F800001)));
        Assert.Equal(0xFE00, Fp16.FromSingle(BitConverter.UInt32BitsToSingle(0xFFC12345)));
    }

    [Theory]
    [InlineData(0x3F800000u, 0x3F80)] // 1
    [InlineData(0x3F808000u, 0x3F80)] // tie, even stays
    [InlineData(0x3F818000u, 0x3F82)] // tie, odd rounds up
    [InlineData(0x3F808001u, 0x3F81)] // above the tie
    [InlineData(0x7F7FFFFFu, 0x7F80)] // largest float rounds to infinity
    [InlineData(0x00000001u, 0x0000)] // subnormals are rounded, not flushed
    [InlineData(0x00008000u, 0x0000)]
    [InlineData(0x00018000u, 0x0002)]
    [InlineData(0x7F800001u, 0x7FC0)] // signalling NaN made quiet
    [InlineData(0xFFC00000u, 0xFFC0)]
    public void FloatToBf16RoundsToNearestEvenLikeGgml(uint bits, int expected) =>
        Assert.Equal((ushort)expected, Bf16.FromSingle(BitConverter.UInt32BitsToSingle(bits)));

    [Fact]
    public void Bf16ToFloatIsTheTopHalf()
    {
        for (int i = 0; i < 65536; i += 7)
            Assert.Equal((uint)i << 16, BitConverter.SingleToUInt32Bits(Bf16.ToSingle((ushort)i)));
    }
}

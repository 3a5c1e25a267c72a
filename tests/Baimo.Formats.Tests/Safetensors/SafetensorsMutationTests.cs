using System.Buffers.Binary;
using Baimo.Formats.Safetensors;
using Baimo.Testing;

namespace Baimo.Formats.Tests.Safetensors;

/// <summary>
/// Damaged safetensors files: each named defect gives a <see cref="SafetensorsFormatException"/> naming its
/// field, and thousands of truncations and byte flips each end in success or that exception, with the offset
/// inside the file — never another exception type, a crash or a large allocation.
/// </summary>
public sealed class SafetensorsMutationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-st-fuzz").FullName;
    private int _cases;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(byte[] bytes)
    {
        var path = Path.Combine(_dir, "m.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Opens the bytes; returns the format error, or null when the file is valid (then every tensor is readable).</summary>
    private SafetensorsFormatException? Check(byte[] bytes)
    {
        _cases++;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using var f = SafetensorsFile.Open(WriteFile(bytes));
            foreach (var t in f.Tensors)
            {
                if (t.ByteSize == 0) continue;
                var data = f.GetTensorData(t);
                _ = data[0] + data[^1];
            }
            return null;
        }
        catch (SafetensorsFormatException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Field));
            Assert.InRange(e.Offset, 0, bytes.Length);
            Assert.Contains("byte offset", e.Message);
            return e;
        }
        finally
        {
            long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Assert.True(used < 8L * bytes.Length + (1 << 20), $"case {_cases} allocated {used} bytes for a {bytes.Length}-byte file");
        }
    }

    private SafetensorsFormatException Fails(byte[] bytes) =>
        Check(bytes) ?? throw new Xunit.Sdk.XunitException("the damaged file was accepted");

    [Theory]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 16]}}""", 8, "tensors[t].data_offsets", "past the data section")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [8, 4]}}""", 8, "tensors[t].data_offsets", "end before they begin")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}""", 8, "tensors[t].data_offsets", "needs 12 bytes")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}""", 8, "tensors[t].shape", "non-negative integers")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}}""", 8, "tensors[t].shape", "non-negative integers")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, -8]}}""", 8, "tensors[t].data_offsets", "non-negative")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8, 9]}}""", 9, "tensors[t].data_offsets", "more than 2")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0]}}""", 8, "tensors[t].data_offsets", "[begin, end]")]
    [InlineData("""{"t": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}}""", 8, "tensors[t].dtype", "unknown dtype 'Q4'")]
    [InlineData("""{"t": {"shape": [2], "data_offsets": [0, 8]}}""", 8, "tensors[t].dtype", "no dtype")]
    [InlineData("""{"t": {"dtype": "F32", "data_offsets": [0, 8]}}""", 8, "tensors[t].shape", "no shape")]
    [InlineData("""{"t": [1, 2]}""", 8, "tensors[t]", "must be an object")]
    [InlineData("""[1, 2]""", 8, "header", "JSON object")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}""", 8, "header", "not valid JSON")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}} x""", 8, "header", "not valid JSON")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}""", 8, "tensors[t]", "duplicate")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", 12, "tensors[b].data_offsets", "overlap")]
    [InlineData("""{"__metadata__": {"k": 1}}""", 0, "__metadata__[k]", "must be a string")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [4294967296, 4294967296, 4294967296], "data_offsets": [0, 8]}}""", 8, "tensors[t].shape", "too many elements")]
    [InlineData("""{"t": {"dtype": "F32", "shape": [1,1,1,1,1,1,1,1,1], "data_offsets": [0, 4]}}""", 4, "tensors[t].shape", "more than 8")]
    [InlineData("\uFEFF{}", 0, "header", "not valid JSON")]
    public void NamedDefects(string header, int dataBytes, string field, string message)
    {
        var e = Fails(SafetensorsSamples.Raw(header, dataBytes));
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message);
        Assert.InRange(e.Offset, 8, 8 + header.Length + 3);
    }

    [Fact]
    public void DefectsPointAtTheirBytes()
    {
        const string header = """{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 99]}}""";
        var e = Fails(SafetensorsSamples.Raw(header, 8));
        Assert.Equal(8 + header.IndexOf("[0, 99]", StringComparison.Ordinal), e.Offset);
    }

    [Fact]
    public void HeaderLengthsThatCannotBeTrue()
    {
        var good = SafetensorsSamples.Sample().ToArray();
        foreach (ulong length in new[] { (ulong)good.Length, (ulong)good.Length - 7, ulong.MaxValue, 1UL << 63, (ulong)int.MaxValue + 1 })
        {
            var bad = (byte[])good.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(bad, length);
            var e = Fails(bad);
            Assert.Equal("header_length", e.Field);
            Assert.Equal(0, e.Offset);
        }
        Assert.Equal("header_length", Fails(new byte[5]).Field);
        Assert.Equal("header", Fails(SafetensorsSamples.Raw("", 0)).Field); // empty header
        Assert.Null(Check(SafetensorsSamples.Raw("{}", 0)));                // no tensors is valid
        Assert.Null(Check(SafetensorsSamples.Raw("{}   ", 3)));             // padding, unused trailing bytes
    }

    [Fact]
    public void TruncationAtEveryByteOfTheSample()
    {
        var good = SafetensorsSamples.Sample().ToArray();
        Assert.Null(Check(good));
        for (int n = 0; n < good.Length; n++) Assert.NotNull(Check(good[..n]));
        Assert.True(_cases > 300);
    }

    [Fact]
    public void TruncationThroughoutARealCheckpoint()
    {
        var real = File.ReadAllBytes(Oracle.Path("models", "stories260K-hf", "model.safetensors"));
        for (int n = 0; n < 8 + 4856 + 64; n += 5) Assert.NotNull(Check(real[..n]));
        Assert.NotNull(Check(real[..^1]));
    }

    [Fact]
    public void RandomByteFlipsOfTheHeader()
    {
        var good = SafetensorsSamples.Sample().ToArray();
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(good);
        var rnd = new Random(2024);
        int accepted = 0;
        for (int i = 0; i < 3000; i++)
        {
            var bad = (byte[])good.Clone();
            int flips = 1 + rnd.Next(3);
            for (int k = 0; k < flips; k++) bad[rnd.Next(headerEnd)] = (byte)rnd.Next(256);
            if (Check(bad) is null) accepted++;
        }
        // Some flips land in names or padding and leave a valid file; most must be caught.
        Assert.InRange(accepted, 1, 2000);
    }
}

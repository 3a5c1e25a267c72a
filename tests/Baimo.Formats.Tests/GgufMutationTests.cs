using System.Buffers.Binary;
using System.Diagnostics;
using Baimo.Formats.Gguf;
using Baimo.Tensors;
using Baimo.Testing;

namespace Baimo.Formats.Tests;

/// <summary>
/// Damaged files: thousands of mutations of valid GGUF files must each end quickly in success or a
/// <see cref="GgufFormatException"/> that names a field and an offset inside the file — never another
/// exception type, a crash, a hang or a large allocation.
/// </summary>
public sealed class GgufMutationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-fuzz").FullName;
    private int _cases;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A small file that still has every kind of section: all value types, string and nested arrays, three weight types.</summary>
    private static byte[] SampleFile()
    {
        var w = new GgufWriter();
        w.Metadata.Set("general.architecture", "llama");
        w.Metadata.Set("general.name", "样本 sample");
        w.Metadata.Set("llama.block_count", 2u);
        w.Metadata.Set("f", 1e-5f);
        w.Metadata.Set("d", 2.5);
        w.Metadata.Set("b", true);
        w.Metadata.Set("i64", -7L);
        w.Metadata.Set("tokenizer.ggml.tokens", new[] { "<s>", "</s>", "▁a", "b", "中" });
        w.Metadata.Set("tokenizer.ggml.scores", new[] { 0f, 0f, -1f, -2f, -3f });
        w.Metadata.Set("nested", new Array[] { new[] { 1u, 2u }, new[] { "x", "y" } });
        var rnd = new Random(7);
        var f32 = new byte[4 * 32 * 2]; rnd.NextBytes(f32);
        var q40 = new byte[18 * 2]; rnd.NextBytes(q40);
        var q6k = new byte[210]; rnd.NextBytes(q6k);
        w.AddTensor("a.weight", WeightType.F32, [32, 2], f32);
        w.AddTensor("b.weight", WeightType.Q4_0, [64], q40);
        w.AddTensor("c.weight", WeightType.Q6_K, [256, 1], q6k);
        var ms = new MemoryStream();
        w.Write(ms);
        return ms.ToArray();
    }

    private void Check(byte[] bytes)
    {
        _cases++;
        var path = Path.Combine(_dir, "m.gguf");
        File.WriteAllBytes(path, bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        try
        {
            using var f = GgufFile.Open(path);
            // A file that parses must have every tensor inside the file: touch its first and last byte.
            foreach (var t in f.Tensors)
            {
                if (t.ByteSize == 0) continue;
                var data = f.GetTensorData(t);
                _ = data[0] + data[^1];
            }
        }
        catch (GgufFormatException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Field));
            Assert.InRange(e.Offset, 0, bytes.Length);
            Assert.Contains("offset", e.Message);
        }
        // A guard against hangs and quadratic blow-ups, not a speed check: generous enough for a loaded 2-core machine.
        Assert.True(sw.ElapsedMilliseconds < 10_000, $"case {_cases} took {sw.ElapsedMilliseconds} ms");
        long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(used < 8L * bytes.Length + (4 << 20), $"case {_cases} allocated {used} bytes for a {bytes.Length}-byte file");
    }

    [Fact]
    public void TruncationAtEveryByteOfTheSample()
    {
        var good = SampleFile();
        for (int n = 0; n < good.Length; n++) Check(good[..n]);
        Assert.True(_cases > 500);
    }

    [Fact]
    public void TruncationThroughoutARealModelHeader()
    {
        var real = File.ReadAllBytes(Oracle.Path("models", "stories260K.gguf"));
        using (var f = GgufFile.Open(Oracle.Path("models", "stories260K.gguf")))
        {
            for (long n = 0; n < f.DataOffset + 64; n += 7) Check(real[..(int)n]);
            foreach (var t in f.Tensors) Check(real[..(int)(f.DataOffset + t.Offset + t.ByteSize - 1)]);
        }
    }

    [Fact]
    public void RandomByteFlips()
    {
        var good = SampleFile();
        var rnd = new Random(12345);
        for (int i = 0; i < 3000; i++)
        {
            var b = (byte[])good.Clone();
            int flips = 1 + rnd.Next(4);
            for (int k = 0; k < flips; k++) b[rnd.Next(b.Length)] ^= (byte)(1 << rnd.Next(8));
            Check(b);
        }
    }

    [Fact]
    public void HugeCountsLengthsOffsetsAndUnknownTypes()
    {
        var good = SampleFile();
        using var probe = OpenBytes(good);
        int header = (int)probe.DataOffset;
        ulong[] big = [ulong.MaxValue, long.MaxValue, 1UL << 40, 1UL << 31, (ulong)good.Length, (ulong)good.Length + 1, 0x8000_0000_0000_0000];
        uint[] tags = [13, 99, 0xFFFF_FFFF, 1000, 9, 8, 4];
        for (int pos = 4; pos + 8 <= header; pos++)
        {
            foreach (var v in big)
            {
                var b = (byte[])good.Clone();
                BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(pos), v);
                Check(b);
            }
            foreach (var v in tags)
            {
                var b = (byte[])good.Clone();
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(pos), v);
                Check(b);
            }
        }
        Assert.True(_cases > 3000);
    }

    [Fact]
    public void ErrorsNameTheFieldAndOffset()
    {
        var good = SampleFile();
        var b = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), 7);
        var e = Assert.Throws<GgufFormatException>(() => OpenBytes(b));
        Assert.Equal("version", e.Field);
        Assert.Equal(4, e.Offset);

        // tensor_count is at offset 8: claim more tensors than the file can describe.
        b = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), 1UL << 50);
        e = Assert.Throws<GgufFormatException>(() => OpenBytes(b));
        Assert.Equal("tensor_count", e.Field);

        // The last tensor (210 bytes) is followed by 14 bytes of padding: cutting 32 bytes cuts into its data.
        e = Assert.Throws<GgufFormatException>(() => OpenBytes(good[..(good.Length - 32)]));
        Assert.Contains("c.weight", e.Message);
        Assert.Contains("past the end", e.Message);
    }

    private GgufFile OpenBytes(byte[] bytes)
    {
        var path = Path.Combine(_dir, $"o{Guid.NewGuid():N}.gguf");
        File.WriteAllBytes(path, bytes);
        return GgufFile.Open(path);
    }
}

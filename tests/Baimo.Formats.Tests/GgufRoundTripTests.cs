using Baimo.Formats.Gguf;
using Baimo.Tensors;
using Baimo.Testing;

namespace Baimo.Formats.Tests;

public class GgufRoundTripTests
{
    [Theory]
    [MemberData(nameof(OracleFiles.AllGgufData), MemberType = typeof(OracleFiles))]
    public void ReadWriteReadIsIdentical(string relative)
    {
        var path = Oracle.Path(relative);
        using var src = GgufFile.Open(path);
        using var ms = new MemoryStream();
        GgufWriter.CopyOf(src).Write(ms);
        var tmp = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(tmp, ms.ToArray());
            using var back = GgufFile.Open(tmp);
            Assert.True(src.Metadata.ContentEquals(back.Metadata));
            Assert.Equal(src.Tensors.Count, back.Tensors.Count);
            for (int i = 0; i < src.Tensors.Count; i++)
            {
                var (a, b) = (src.Tensors[i], back.Tensors[i]);
                Assert.Equal((a.Name, a.Type, a.Offset, a.ByteSize), (b.Name, b.Type, b.Offset, b.ByteSize));
                Assert.Equal(a.Shape, b.Shape);
                Assert.True(src.GetTensorData(a).SequenceEqual(back.GetTensorData(b)), $"data of {a.Name} differs");
            }
            // Files written by llama.cpp use the same placement rules, so the bytes are identical too.
            Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(ms.ToArray()), "re-written file differs from the original");
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void EveryValueTypeIncludingNestedArraysRoundTrips()
    {
        var w = new GgufWriter();
        w.Metadata.Set("u8", (byte)200);
        w.Metadata.Set("i8", (sbyte)-5);
        w.Metadata.Set("u16", (ushort)60000);
        w.Metadata.Set("i16", (short)-30000);
        w.Metadata.Set("u32", 4000000000u);
        w.Metadata.Set("i32", -2000000000);
        w.Metadata.Set("f32", 3.25f);
        w.Metadata.Set("bool", true);
        w.Metadata.Set("str", "百模 — 🦙");
        w.Metadata.Set("u64", ulong.MaxValue);
        w.Metadata.Set("i64", long.MinValue);
        w.Metadata.Set("f64", Math.PI);
        w.Metadata.Set("strings", new[] { "a", "", "中文" });
        w.Metadata.Set("floats", new[] { 1f, -0f, float.NaN });
        w.Metadata.Set("bools", new[] { true, false });
        w.Metadata.Set("nested", new Array[] { new[] { 1, 2 }, new[] { "x" }, new Array[] { new[] { 3.5 } }, Array.Empty<Array>() });
        w.Metadata.Set("general.alignment", 64u);
        var data = new byte[4 * 8 * 3];
        Random.Shared.NextBytes(data);
        w.AddTensor("t", WeightType.F32, [8, 3], data);
        w.AddTensor("q", WeightType.Q8_0, [64], new byte[68]);

        var tmp = Path.GetTempFileName();
        try
        {
            w.Write(tmp);
            using var f = GgufFile.Open(tmp);
            Assert.True(w.Metadata.ContentEquals(f.Metadata));
            Assert.Equal(64u, f.Alignment);
            Assert.Equal(0, f.DataOffset % 64);
            Assert.Equal(128, f.GetTensor("q").Offset); // 96 bytes of "t", padded to the alignment
            Assert.Equal(data, f.GetTensorData(f.GetTensor("t")).ToArray());
            var nested = Assert.IsType<Array[]>(f.Metadata["nested"]);
            Assert.Equal(new[] { 3.5 }, Assert.IsType<Array[]>(nested[2])[0]);
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void WriterRejectsInconsistentTensors()
    {
        var w = new GgufWriter();
        Assert.Throws<ArgumentException>(() => w.AddTensor("x", WeightType.Q4_0, [31], new byte[18]));
        Assert.Throws<ArgumentException>(() => w.AddTensor("x", WeightType.F32, [4], new byte[15]));
        w.AddTensor("x", WeightType.F32, [4], new byte[16]);
        Assert.Throws<ArgumentException>(() => w.AddTensor("x", WeightType.F32, [4], new byte[16]));
    }
}

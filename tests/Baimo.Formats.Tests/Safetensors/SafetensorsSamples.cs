using System.Buffers.Binary;
using System.Text;
using Baimo.Formats.Safetensors;

namespace Baimo.Formats.Tests.Safetensors;

/// <summary>Small safetensors files for the tests, and raw files built from a header string.</summary>
internal static class SafetensorsSamples
{
    /// <summary>Four tensors in four dtypes (F32, F16, BF16, I64) plus <c>__metadata__</c>.</summary>
    public static SafetensorsWriter Sample()
    {
        var w = new SafetensorsWriter();
        w.Metadata["format"] = "pt";
        var rnd = new Random(3);
        w.Add("a.weight", "F32", [2, 8], Floats(rnd, 16));
        w.Add("b.weight", "F16", [4, 4], Bytes(rnd, 32));
        w.Add("c.bias", "BF16", [6], Bytes(rnd, 12));
        w.Add("position_ids", "I64", [1, 3], Bytes(rnd, 24));
        return w;
    }

    public static byte[] Floats(Random rnd, int n)
    {
        var b = new byte[n * 4];
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), (float)(rnd.NextDouble() * 2 - 1));
        return b;
    }

    public static byte[] Bytes(Random rnd, int n)
    {
        var b = new byte[n];
        rnd.NextBytes(b);
        return b;
    }

    /// <summary>A file whose header is exactly <paramref name="json"/>, followed by <paramref name="dataBytes"/> zero bytes.</summary>
    public static byte[] Raw(string json, int dataBytes)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }
}

using System.Buffers.Binary;
using System.Text.Json;

namespace Baimo.Formats.Safetensors;

/// <summary>
/// Builds a safetensors file: tensors in the order added, packed back to back, and a JSON header padded
/// with spaces to a multiple of 8 bytes (so F32/F64 data stays aligned), as the reference writer does.
/// </summary>
public sealed class SafetensorsWriter
{
    private readonly List<(string Name, string DType, long[] Shape, ReadOnlyMemory<byte> Data)> _tensors = [];

    /// <summary>Free-form strings stored under <c>__metadata__</c>.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a tensor; <paramref name="shape"/> is outermost first (PyTorch order).</summary>
    public void Add(string name, string dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        if (!SafetensorsDType.IsKnown(dtype)) throw new ArgumentException($"unknown dtype '{dtype}'", nameof(dtype));
        long bits = SafetensorsDType.BitsOf(dtype);
        foreach (var d in shape) bits = checked(bits * d);
        if (bits != data.Length * 8L)
            throw new ArgumentException($"tensor '{name}': {data.Length} bytes given, {bits / 8.0} expected for {dtype} [{string.Join(", ", shape)}]");
        if (_tensors.Any(t => t.Name == name) || name == "__metadata__") throw new ArgumentException($"duplicate or reserved tensor name '{name}'");
        _tensors.Add((name, dtype, (long[])shape.Clone(), data));
    }

    /// <summary>The header JSON, unpadded.</summary>
    public byte[] HeaderJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (Metadata.Count > 0)
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in Metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in _tensors)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Data.Length;
            }
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    public void Write(Stream stream)
    {
        var header = HeaderJson();
        int padded = (header.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(header);
        for (int i = header.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var t in _tensors) stream.Write(t.Data.Span);
    }

    /// <summary>Writes to a temporary name beside <paramref name="path"/>, then renames it into place.</summary>
    public void Write(string path)
    {
        var full = Path.GetFullPath(path);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20)) Write(fs);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>The whole file in memory (for small files and tests).</summary>
    public byte[] ToArray()
    {
        using var ms = new MemoryStream();
        Write(ms);
        return ms.ToArray();
    }

}

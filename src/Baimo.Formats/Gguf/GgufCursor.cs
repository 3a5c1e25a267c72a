using System.Buffers.Binary;
using System.Text;

namespace Baimo.Formats.Gguf;

/// <summary>
/// A bounds-checked little-endian reader over the mapped header of a GGUF file. Every read names the
/// field it is reading so that a failure can say what and where; every length is checked against the
/// bytes left before anything is allocated, so a hostile count cannot make us allocate gigabytes.
/// </summary>
internal sealed unsafe class GgufCursor(byte* start, long length, string? path)
{
    public long Position { get; private set; }
    public long Length { get; } = length;
    public long Remaining => Length - Position;
    public string? Path { get; } = path;

    public GgufFormatException Error(string message, string field, long? offset = null) =>
        new(message, field, offset ?? Position, Path);

    private byte* Take(long n, string field)
    {
        if (n < 0 || n > Remaining)
            throw Error($"unexpected end of file: {field} needs {n} bytes but only {Remaining} remain", field);
        var p = start + Position;
        Position += n;
        return p;
    }

    public byte U8(string field) => *Take(1, field);
    public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(Take(2, field), 2));
    public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(Take(4, field), 4));
    public ulong U64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(Take(8, field), 8));

    /// <summary>Reads a count and checks that <paramref name="minBytesEach"/> bytes per item can still follow.</summary>
    public long Count(string field, long minBytesEach)
    {
        long at = Position;
        ulong n = U64(field);
        if (n > (ulong)long.MaxValue || (minBytesEach > 0 && (long)n > Remaining / minBytesEach))
            throw Error($"count {n} cannot fit in the {Remaining} bytes left in the file", field, at);
        return (long)n;
    }

    public string String(string field) => String(field, -1);

    /// <summary>Reads a string; <paramref name="index"/> ≥ 0 names an array element. The field name is only
    /// built on failure: vocabularies hold hundreds of thousands of strings.</summary>
    public string String(string field, long index)
    {
        long at = Position;
        if (Remaining < 8) throw Error("unexpected end of file in a string length", Name(field, index) + ".length", at);
        ulong len = U64(field);
        if (len > (ulong)Remaining)
            throw Error($"string length {len} exceeds the {Remaining} bytes left in the file", Name(field, index), at);
        if (len > int.MaxValue)
            throw Error($"string length {len} is larger than supported", Name(field, index), at);
        var p = start + Position;
        Position += (long)len;
        return Encoding.UTF8.GetString(p, (int)len);
    }

    private static string Name(string field, long index) => index < 0 ? field : $"{field}[{index}]";

    public ReadOnlySpan<byte> Bytes(long n, string field) => new(Take(n, field), checked((int)n));
}

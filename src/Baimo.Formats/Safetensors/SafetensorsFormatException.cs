namespace Baimo.Formats.Safetensors;

/// <summary>
/// A safetensors file (or its shard index) is malformed. <see cref="Field"/> names what was being read
/// (<c>header_length</c>, <c>tensors[model.norm.weight].data_offsets</c>…) and <see cref="Offset"/> its byte
/// position in the file, so the damage can be found with a hex viewer.
/// </summary>
public sealed class SafetensorsFormatException : FormatException
{
    public SafetensorsFormatException(string message, string field, long offset, string? path = null)
        : base($"{(path is null ? "" : path + ": ")}{message} (field '{field}' at byte offset {offset})")
    {
        Field = field;
        Offset = offset;
        FilePath = path;
    }

    /// <summary>The field being read.</summary>
    public string Field { get; }

    /// <summary>Byte offset of the field from the start of the file.</summary>
    public long Offset { get; }

    /// <summary>The file, when known.</summary>
    public string? FilePath { get; }
}

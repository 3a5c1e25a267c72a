namespace Baimo.Formats.Gguf;

/// <summary>
/// A GGUF file is malformed or unsupported. <see cref="Field"/> names the part of the file that was being
/// read and <see cref="Offset"/> its byte position, so a user can find the damage with a hex viewer.
/// </summary>
public sealed class GgufFormatException : FormatException
{
    public GgufFormatException(string message, string field, long offset, string? path = null)
        : base($"{(path is null ? "" : path + ": ")}{message} (field '{field}' at byte offset {offset})")
    {
        Field = field;
        Offset = offset;
        FilePath = path;
    }

    /// <summary>The field being read, e.g. <c>tensor_info[3].n_dims</c> or <c>kv[general.name].value</c>.</summary>
    public string Field { get; }

    /// <summary>Byte offset of the field from the start of the file.</summary>
    public long Offset { get; }

    /// <summary>The file, when known.</summary>
    public string? FilePath { get; }
}

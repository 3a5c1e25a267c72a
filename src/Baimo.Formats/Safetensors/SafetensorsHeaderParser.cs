using System.Text.Json;

namespace Baimo.Formats.Safetensors;

/// <summary>
/// Parses and validates the JSON header of a safetensors file: every tensor's dtype, shape and byte range
/// is checked against the data section before anything is returned, and every error names the field and
/// its byte offset in the file.
/// </summary>
internal static class SafetensorsHeaderParser
{
    /// <summary>The header starts after the 8-byte little-endian length.</summary>
    public const long HeaderStart = 8;

    public static (IReadOnlyList<SafetensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata)
        Parse(ReadOnlySpan<byte> header, long dataLength, string path)
    {
        var tensors = new List<SafetensorsTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var offsetsAt = new Dictionary<string, long>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            Read(ref reader, "header", path);
            if (reader.TokenType != JsonTokenType.StartObject)
                throw Error($"the header must be a JSON object, found {reader.TokenType}", "header", ref reader, path);
            while (true)
            {
                Read(ref reader, "header", path);
                if (reader.TokenType == JsonTokenType.EndObject) break;
                string name = Str(ref reader, "header", path);
                long nameAt = At(ref reader);
                if (!names.Add(name))
                    throw new SafetensorsFormatException($"duplicate entry '{name}'", $"tensors[{name}]", nameAt, path);
                if (name == "__metadata__") ReadMetadata(ref reader, metadata, path);
                else
                {
                    tensors.Add(ReadTensor(ref reader, name, dataLength, path, out long at));
                    offsetsAt[name] = at;
                }
            }
            // Trailing bytes after the object: the format pads the header with spaces, nothing else.
            if (reader.Read())
                throw Error("unexpected data after the header object", "header", ref reader, path);
        }
        catch (JsonException e)
        {
            long at = HeaderStart + (e.LineNumber == 0 ? e.BytePositionInLine ?? 0 : reader.BytesConsumed);
            throw new SafetensorsFormatException($"the header is not valid JSON: {FirstLine(e.Message)}", "header", at, path);
        }
        CheckOverlaps(tensors, offsetsAt, path);
        return (tensors, metadata);
    }

    private static void ReadMetadata(ref Utf8JsonReader r, Dictionary<string, string> metadata, string path)
    {
        Read(ref r, "__metadata__", path);
        if (r.TokenType == JsonTokenType.Null) return;
        if (r.TokenType != JsonTokenType.StartObject)
            throw Error("__metadata__ must be an object of strings", "__metadata__", ref r, path);
        while (true)
        {
            Read(ref r, "__metadata__", path);
            if (r.TokenType == JsonTokenType.EndObject) return;
            string key = Str(ref r, "__metadata__", path);
            Read(ref r, $"__metadata__[{key}]", path);
            if (r.TokenType != JsonTokenType.String)
                throw Error($"__metadata__ value of '{key}' must be a string, found {r.TokenType}", $"__metadata__[{key}]", ref r, path);
            metadata[key] = Str(ref r, $"__metadata__[{key}]", path);
        }
    }

    private static SafetensorsTensorInfo ReadTensor(ref Utf8JsonReader r, string name, long dataLength, string path, out long offsetsAt)
    {
        string f = $"tensors[{name}]";
        Read(ref r, f, path);
        if (r.TokenType != JsonTokenType.StartObject)
            throw Error($"entry '{name}' must be an object with dtype, shape and data_offsets", f, ref r, path);
        long entryAt = At(ref r);
        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        long dtypeAt;
        offsetsAt = entryAt;
        while (true)
        {
            Read(ref r, f, path);
            if (r.TokenType == JsonTokenType.EndObject) break;
            string key = Str(ref r, f, path);
            Read(ref r, $"{f}.{key}", path);
            switch (key)
            {
                case "dtype":
                    dtypeAt = At(ref r);
                    if (r.TokenType != JsonTokenType.String)
                        throw Error($"dtype of '{name}' must be a string", f + ".dtype", ref r, path);
                    dtype = Str(ref r, f + ".dtype", path);
                    if (!SafetensorsDType.IsKnown(dtype))
                        throw new SafetensorsFormatException($"tensor '{name}' has unknown dtype '{dtype}'", f + ".dtype", dtypeAt, path);
                    break;
                case "shape":
                    shape = ReadIntegers(ref r, name, f + ".shape", path, maxCount: 8);
                    break;
                case "data_offsets":
                    offsetsAt = At(ref r);
                    offsets = ReadIntegers(ref r, name, f + ".data_offsets", path, maxCount: 2);
                    break;
                default:
                    r.Skip(); // unknown keys are ignored, as other readers do
                    break;
            }
        }
        if (dtype is null) throw new SafetensorsFormatException($"tensor '{name}' has no dtype", f + ".dtype", entryAt, path);
        if (shape is null) throw new SafetensorsFormatException($"tensor '{name}' has no shape", f + ".shape", entryAt, path);
        if (offsets is not { Length: 2 })
            throw new SafetensorsFormatException($"tensor '{name}' needs data_offsets [begin, end]", f + ".data_offsets", offsetsAt, path);
        long begin = offsets[0], end = offsets[1];
        if (begin > end)
            throw new SafetensorsFormatException($"tensor '{name}' data_offsets [{begin}, {end}] end before they begin", f + ".data_offsets", offsetsAt, path);
        if (end > dataLength)
            throw new SafetensorsFormatException($"tensor '{name}' data_offsets [{begin}, {end}] extend past the data section ({dataLength} bytes)", f + ".data_offsets", offsetsAt, path);

        long elements = 1;
        foreach (var d in shape)
        {
            if (d != 0 && elements > long.MaxValue / 64 / d)
                throw new SafetensorsFormatException($"tensor '{name}' shape [{string.Join(", ", shape)}] has too many elements", f + ".shape", entryAt, path);
            elements *= d;
        }
        long bits = elements * SafetensorsDType.BitsOf(dtype);
        if (bits % 8 != 0 || bits / 8 != end - begin)
            throw new SafetensorsFormatException(
                $"tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {bits / 8.0} bytes but data_offsets [{begin}, {end}] hold {end - begin}",
                f + ".data_offsets", offsetsAt, path);
        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(ref Utf8JsonReader r, string name, string field, string path, int maxCount)
    {
        if (r.TokenType != JsonTokenType.StartArray)
            throw Error($"{field} of '{name}' must be an array of integers", field, ref r, path);
        var values = new List<long>(maxCount);
        while (true)
        {
            Read(ref r, field, path);
            if (r.TokenType == JsonTokenType.EndArray) return [.. values];
            if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out long v) || v < 0)
                throw Error($"{field} of '{name}' must hold non-negative integers", field, ref r, path);
            if (values.Count == maxCount)
                throw Error($"{field} of '{name}' has more than {maxCount} entries", field, ref r, path);
            values.Add(v);
        }
    }

    /// <summary>Tensors must not share bytes: a writer bug or a crafted file could alias one tensor's data into another.</summary>
    private static void CheckOverlaps(List<SafetensorsTensorInfo> tensors, Dictionary<string, long> offsetsAt, string path)
    {
        var byStart = tensors.Where(t => t.ByteSize > 0).OrderBy(t => t.Begin).ToList();
        for (int i = 1; i < byStart.Count; i++)
        {
            var a = byStart[i - 1];
            var b = byStart[i];
            if (b.Begin < a.End)
                throw new SafetensorsFormatException(
                    $"tensors '{a.Name}' [{a.Begin}, {a.End}) and '{b.Name}' [{b.Begin}, {b.End}) overlap",
                    $"tensors[{b.Name}].data_offsets", offsetsAt[b.Name], path);
        }
    }

    private static void Read(ref Utf8JsonReader r, string field, string path)
    {
        if (!r.Read())
            throw new SafetensorsFormatException("the header ends in the middle of its JSON", field, HeaderStart + r.BytesConsumed, path);
    }

    /// <summary>A string token; invalid UTF-8 inside it is a format error, not a transcoding exception.</summary>
    private static string Str(ref Utf8JsonReader r, string field, string path)
    {
        try { return r.GetString()!; }
        catch (InvalidOperationException) { throw Error("a string is not valid UTF-8", field, ref r, path); }
    }

    private static long At(ref Utf8JsonReader r) => HeaderStart + r.TokenStartIndex;

    private static SafetensorsFormatException Error(string message, string field, ref Utf8JsonReader r, string path) =>
        new(message, field, At(ref r), path);

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd();
}

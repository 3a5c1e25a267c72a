using Baimo.Tensors;

namespace Baimo.Formats.Gguf;

/// <summary>Parses and validates the header, metadata and tensor infos of a mapped GGUF file.</summary>
internal static class GgufParser
{
    // Smallest possible encodings, used to reject counts that cannot fit in the file before allocating.
    private const long MinKvBytes = 8 + 4 + 1;          // empty key, tag, 1-byte value
    private const long MinTensorInfoBytes = 8 + 4 + 4 + 8; // empty name, n_dims=0, type, offset

    public static (uint Version, uint Alignment, long DataOffset, GgufMetadata Metadata, IReadOnlyList<GgufTensorInfo> Tensors)
        Parse(GgufCursor c)
    {
        uint magic = c.U32("magic");
        if (magic != GgufFile.Magic)
            throw c.Error($"not a GGUF file (magic 0x{magic:X8}, expected 'GGUF')", "magic", 0);
        uint version = c.U32("version");
        if (version is 2 or 3) { }
        else if (version == 1)
            throw c.Error("GGUF version 1 is obsolete and not supported (convert the model again)", "version", 4);
        else if (System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(version) is 2 or 3)
            throw c.Error("big-endian GGUF files are not supported", "version", 4);
        else
            throw c.Error($"unsupported GGUF version {version} (supported: 2, 3)", "version", 4);

        long tensorCount = c.Count("tensor_count", 0);
        long kvCount = c.Count("metadata_kv_count", MinKvBytes);
        if (tensorCount > c.Remaining / MinTensorInfoBytes)
            throw c.Error($"tensor count {tensorCount} cannot fit in the file", "tensor_count", 8);

        var metadata = new GgufMetadata();
        for (long i = 0; i < kvCount; i++)
        {
            long at = c.Position;
            string key = c.String($"kv[{i}].key");
            var tag = (GgufValueType)c.U32($"kv[{key}].type");
            var value = ReadValue(c, tag, $"kv[{key}].value", 0);
            if (!metadata.TryAdd(key, value))
                throw c.Error($"duplicate metadata key '{key}'", $"kv[{i}].key", at);
        }

        uint alignment = GgufFile.DefaultAlignment;
        if (metadata.TryGetValue("general.alignment", out var alignValue))
        {
            if (alignValue is not uint a || a == 0 || (a & (a - 1)) != 0)
                throw c.Error($"general.alignment must be a power-of-two uint32, got {alignValue} ({alignValue.GetType().Name})",
                    "kv[general.alignment].value");
            alignment = a;
        }

        var infos = new List<(string Name, WeightType Type, long[] Shape, long Offset, long InfoAt)>((int)Math.Min(tensorCount, 1 << 16));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
        {
            long at = c.Position;
            string name = c.String($"tensor_info[{i}].name");
            string f = $"tensor_info[{i}:{name}]";
            if (!names.Add(name)) throw c.Error($"duplicate tensor name '{name}'", f + ".name", at);
            long dimsAt = c.Position;
            uint nDims = c.U32(f + ".n_dims");
            if (nDims > GgufFile.MaxDims)
                throw c.Error($"tensor '{name}' has {nDims} dimensions (at most {GgufFile.MaxDims})", f + ".n_dims", dimsAt);
            var shape = new long[nDims];
            for (int d = 0; d < nDims; d++)
            {
                long dimAt = c.Position;
                ulong ne = c.U64($"{f}.ne[{d}]");
                if (ne > int.MaxValue * 64UL)
                    throw c.Error($"tensor '{name}' dimension {d} is {ne}, which is implausibly large", $"{f}.ne[{d}]", dimAt);
                shape[d] = (long)ne;
            }
            long typeAt = c.Position;
            var type = (WeightType)c.U32(f + ".type");
            if (!WeightLayout.TryGet(type, out _))
                throw c.Error($"tensor '{name}' has unknown weight type id {(uint)type}", f + ".type", typeAt);
            long offAt = c.Position;
            ulong offset = c.U64(f + ".offset");
            if (offset > (ulong)c.Length)
                throw c.Error($"tensor '{name}' data offset {offset} is beyond the end of the file", f + ".offset", offAt);
            if (offset % alignment != 0)
                throw c.Error($"tensor '{name}' data offset {offset} is not a multiple of the alignment {alignment}", f + ".offset", offAt);
            infos.Add((name, type, shape, (long)offset, at));
        }

        long dataOffset = AlignUp(c.Position, alignment);
        // Vocabulary-only files may end right after the header, without padding.
        if (tensorCount == 0) dataOffset = Math.Min(dataOffset, c.Length);
        if (dataOffset > c.Length && tensorCount > 0)
            throw c.Error($"data section would start at {dataOffset}, past the end of the file ({c.Length} bytes)", "tensor_data", c.Position);
        long dataLength = Math.Max(0, c.Length - dataOffset);

        var tensors = new GgufTensorInfo[infos.Count];
        for (int i = 0; i < infos.Count; i++)
        {
            var (name, type, shape, offset, infoAt) = infos[i];
            var layout = WeightLayout.Of(type);
            long elements = 1;
            foreach (var d in shape)
            {
                if (d != 0 && elements > long.MaxValue / d)
                    throw c.Error($"tensor '{name}' has more elements than can be addressed", $"tensor_info[{i}:{name}].ne", infoAt);
                elements *= d;
            }
            if (shape.Length > 0 && shape[0] % layout.BlockSize != 0)
                throw c.Error($"tensor '{name}' row length {shape[0]} is not a multiple of the {layout.Name} block size {layout.BlockSize}",
                    $"tensor_info[{i}:{name}].ne[0]", infoAt);
            long bytes = elements / layout.BlockSize * layout.BytesPerBlock;
            if (offset + bytes > dataLength || offset + bytes < offset)
                throw c.Error($"tensor '{name}' ({layout.Name} {string.Join('x', shape)}, {bytes} bytes at data offset {offset}) extends past the end of the file",
                    $"tensor_info[{i}:{name}].offset", infoAt);
            tensors[i] = new GgufTensorInfo(name, type, shape, offset, bytes);
        }
        return (version, alignment, dataOffset, metadata, tensors);
    }

    public static long AlignUp(long x, long alignment) => (x + alignment - 1) / alignment * alignment;

    private static object ReadValue(GgufCursor c, GgufValueType tag, string field, int depth)
    {
        long at = c.Position;
        switch (tag)
        {
            case GgufValueType.UInt8: return c.U8(field);
            case GgufValueType.Int8: return (sbyte)c.U8(field);
            case GgufValueType.UInt16: return c.U16(field);
            case GgufValueType.Int16: return (short)c.U16(field);
            case GgufValueType.UInt32: return c.U32(field);
            case GgufValueType.Int32: return (int)c.U32(field);
            case GgufValueType.Float32: return BitConverter.UInt32BitsToSingle(c.U32(field));
            case GgufValueType.UInt64: return c.U64(field);
            case GgufValueType.Int64: return (long)c.U64(field);
            case GgufValueType.Float64: return BitConverter.UInt64BitsToDouble(c.U64(field));
            case GgufValueType.Bool:
                byte b = c.U8(field);
                if (b > 1) throw c.Error($"boolean value {b} is neither 0 nor 1", field, at);
                return b == 1;
            case GgufValueType.String: return c.String(field);
            case GgufValueType.Array: return ReadArray(c, field, depth);
            default: throw c.Error($"unknown metadata value type {(uint)tag}", field.Replace(".value", ".type"), at - 4);
        }
    }

    private static Array ReadArray(GgufCursor c, string field, int depth)
    {
        if (depth >= GgufFile.MaxArrayDepth)
            throw c.Error($"arrays nested more than {GgufFile.MaxArrayDepth} deep", field);
        long tagAt = c.Position;
        var elemTag = (GgufValueType)c.U32(field + ".element_type");
        if (!Enum.IsDefined(elemTag))
            throw c.Error($"unknown array element type {(uint)elemTag}", field + ".element_type", tagAt);
        int fixedSize = GgufValues.FixedSize(elemTag);
        // Strings need at least their 8-byte length, nested arrays their 4-byte tag and 8-byte count.
        long minEach = fixedSize > 0 ? fixedSize : elemTag == GgufValueType.String ? 8 : 12;
        long countAt = c.Position;
        long n = c.Count(field + ".count", minEach);
        if (n > Array.MaxLength) throw c.Error($"array of {n} elements is too long", field + ".count", countAt);
        int count = (int)n;
        switch (elemTag)
        {
            case GgufValueType.UInt8: return c.Bytes(count, field).ToArray();
            case GgufValueType.Int8: return Cast<sbyte>(c.Bytes(count, field));
            case GgufValueType.UInt16: return Cast<ushort>(c.Bytes(count * 2L, field));
            case GgufValueType.Int16: return Cast<short>(c.Bytes(count * 2L, field));
            case GgufValueType.UInt32: return Cast<uint>(c.Bytes(count * 4L, field));
            case GgufValueType.Int32: return Cast<int>(c.Bytes(count * 4L, field));
            case GgufValueType.Float32: return Cast<float>(c.Bytes(count * 4L, field));
            case GgufValueType.UInt64: return Cast<ulong>(c.Bytes(count * 8L, field));
            case GgufValueType.Int64: return Cast<long>(c.Bytes(count * 8L, field));
            case GgufValueType.Float64: return Cast<double>(c.Bytes(count * 8L, field));
            case GgufValueType.Bool:
            {
                var raw = c.Bytes(count, field);
                var result = new bool[count];
                for (int i = 0; i < count; i++)
                {
                    if (raw[i] > 1) throw c.Error($"boolean value {raw[i]} is neither 0 nor 1", $"{field}[{i}]", c.Position - count + i);
                    result[i] = raw[i] == 1;
                }
                return result;
            }
            case GgufValueType.String:
            {
                var result = new string[count];
                for (int i = 0; i < count; i++) result[i] = c.String(field, i);
                return result;
            }
            default:
            {
                var result = new Array[count];
                // Each element of an array of arrays is itself {element_type, count, values}.
                for (int i = 0; i < count; i++) result[i] = ReadArray(c, $"{field}[{i}]", depth + 1);
                return result;
            }
        }
    }

    private static T[] Cast<T>(ReadOnlySpan<byte> bytes) where T : unmanaged =>
        // GGUF is little-endian, as is every platform .NET runs on here.
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray();
}

using System.Buffers.Binary;
using System.Text;
using Baimo.Tensors;

namespace Baimo.Formats.Gguf;

/// <summary>
/// Builds a GGUF file: metadata in insertion order, tensor infos, then each tensor's data aligned to
/// <c>general.alignment</c> (32 unless set) with zero padding — the same placement ggml uses, so a file
/// read and written back is byte-identical. Tensor data may be supplied lazily so that converting or
/// quantizing a large model never holds more than one tensor in memory.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<Entry> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private sealed record Entry(string Name, WeightType Type, long[] Shape, long ByteSize, Action<Stream> WriteData);

    public GgufMetadata Metadata { get; } = new();

    /// <summary>GGUF version written (2 or 3).</summary>
    public uint Version { get; set; } = 3;

    /// <summary>Adds a tensor whose bytes are already in memory.</summary>
    public void AddTensor(string name, WeightType type, long[] shape, ReadOnlyMemory<byte> data)
    {
        long size = CheckedSize(name, type, shape);
        if (data.Length != size)
            throw new ArgumentException($"tensor '{name}': {data.Length} bytes given, {size} expected for {type} {string.Join('x', shape)}");
        Add(new Entry(name, type, (long[])shape.Clone(), size, s => s.Write(data.Span)));
    }

    /// <summary>Adds a tensor whose bytes are produced when the file is written; the callback must write exactly its byte size.</summary>
    public void AddTensor(string name, WeightType type, long[] shape, Action<Stream> writeData) =>
        Add(new Entry(name, type, (long[])shape.Clone(), CheckedSize(name, type, shape), writeData));

    /// <summary>A writer holding a copy of a file's metadata and (lazily) its tensors, ready to be modified.</summary>
    public static GgufWriter CopyOf(GgufFile source)
    {
        var w = new GgufWriter { Version = source.Version };
        foreach (var (k, v) in source.Metadata) w.Metadata.Set(k, v);
        foreach (var t in source.Tensors)
            w.AddTensor(t.Name, t.Type, t.Shape, s => WriteMapped(source, t, s));
        return w;
    }

    private static unsafe void WriteMapped(GgufFile source, GgufTensorInfo t, Stream s)
    {
        byte* p = source.GetTensorPointer(t);
        for (long done = 0; done < t.ByteSize;)
        {
            int n = (int)Math.Min(1 << 30, t.ByteSize - done);
            s.Write(new ReadOnlySpan<byte>(p + done, n));
            done += n;
        }
    }

    private void Add(Entry e)
    {
        if (!_names.Add(e.Name)) throw new ArgumentException($"duplicate tensor name '{e.Name}'");
        _tensors.Add(e);
    }

    private static long CheckedSize(string name, WeightType type, long[] shape)
    {
        if (shape.Length > GgufFile.MaxDims) throw new ArgumentException($"tensor '{name}' has {shape.Length} dimensions (at most {GgufFile.MaxDims})");
        var layout = WeightLayout.Of(type);
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"tensor '{name}' has a negative dimension");
            n = checked(n * d);
        }
        if (shape.Length > 0 && shape[0] % layout.BlockSize != 0)
            throw new ArgumentException($"tensor '{name}' row length {shape[0]} is not a multiple of the {layout.Name} block size {layout.BlockSize}");
        return layout.ByteCount(n);
    }

    /// <summary>
    /// Writes the file atomically: to a temporary name beside it, then renamed, so an interrupted write
    /// never leaves a half file under the final name.
    /// </summary>
    public void Write(string path)
    {
        var full = Path.GetFullPath(path);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Writes the file to a stream (which need not be seekable).</summary>
    public void Write(Stream stream)
    {
        if (Version is not (2 or 3)) throw new InvalidOperationException($"cannot write GGUF version {Version}");
        uint alignment = GgufFile.DefaultAlignment;
        if (Metadata.TryGetValue("general.alignment", out var a))
        {
            if (a is not uint ua || ua == 0 || (ua & (ua - 1)) != 0)
                throw new InvalidOperationException("general.alignment must be a power-of-two uint32");
            alignment = ua;
        }

        long start = stream.CanSeek ? stream.Position : 0;
        var counting = new CountingStream(stream);
        var w = new Header(counting);
        w.U32(GgufFile.Magic);
        w.U32(Version);
        w.U64((ulong)_tensors.Count);
        w.U64((ulong)Metadata.Count);
        foreach (var (key, value) in Metadata)
        {
            w.String(key);
            var tag = GgufValues.TagOf(value);
            w.U32((uint)tag);
            w.Value(tag, value);
        }
        long offset = 0;
        foreach (var t in _tensors)
        {
            w.String(t.Name);
            w.U32((uint)t.Shape.Length);
            foreach (var d in t.Shape) w.U64((ulong)d);
            w.U32((uint)t.Type);
            w.U64((ulong)offset);
            offset = GgufParser.AlignUp(offset + t.ByteSize, alignment);
        }
        // A file without tensors (a vocabulary-only file) ends right after its header, as the reference writers do.
        if (_tensors.Count > 0) Pad(counting, alignment);
        long dataStart = counting.Written;
        foreach (var t in _tensors)
        {
            long before = counting.Written;
            t.WriteData(counting);
            long written = counting.Written - before;
            if (written != t.ByteSize)
                throw new InvalidOperationException($"tensor '{t.Name}': {written} bytes written, {t.ByteSize} expected");
            Pad(counting, alignment, dataStart);
        }
        // A trailing tensor written as a hole (forward seek) does not extend the stream by itself.
        if (stream.CanSeek && stream.Length < start + counting.Written) stream.SetLength(start + counting.Written);
        counting.Flush();
    }

    private static void Pad(CountingStream s, uint alignment, long origin = 0)
    {
        long rel = s.Written - origin;
        long pad = GgufParser.AlignUp(rel, alignment) - rel;
        Span<byte> zeros = stackalloc byte[256];
        zeros.Clear();
        while (pad > 0)
        {
            int n = (int)Math.Min(pad, zeros.Length);
            s.Write(zeros[..n]);
            pad -= n;
        }
    }

    /// <summary>Little-endian encoder of header fields and metadata values.</summary>
    private readonly struct Header(Stream s)
    {
        public void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); s.Write(b); }
        public void U64(ulong v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); s.Write(b); }

        public void String(string v)
        {
            var bytes = Encoding.UTF8.GetBytes(v);
            U64((ulong)bytes.Length);
            s.Write(bytes);
        }

        public void Value(GgufValueType tag, object v)
        {
            switch (v)
            {
                case byte x: s.WriteByte(x); break;
                case sbyte x: s.WriteByte((byte)x); break;
                case bool x: s.WriteByte(x ? (byte)1 : (byte)0); break;
                case ushort x: { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, x); s.Write(b); break; }
                case short x: { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteInt16LittleEndian(b, x); s.Write(b); break; }
                case uint x: U32(x); break;
                case int x: U32((uint)x); break;
                case float x: U32(BitConverter.SingleToUInt32Bits(x)); break;
                case ulong x: U64(x); break;
                case long x: U64((ulong)x); break;
                case double x: U64(BitConverter.DoubleToUInt64Bits(x)); break;
                case string x: String(x); break;
                case Array arr: ArrayBody(arr); break;
                default: throw new ArgumentException($"cannot write {tag} value of type {v.GetType().Name}");
            }
        }

        private void ArrayBody(Array arr)
        {
            var elemTag = GgufValues.ElementTagOf(arr);
            U32((uint)elemTag);
            U64((ulong)arr.Length);
            foreach (var item in arr) Value(elemTag, item!);
        }
    }
}

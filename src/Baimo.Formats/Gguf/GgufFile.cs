using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Baimo.Tensors;

namespace Baimo.Formats.Gguf;

/// <summary>
/// An open GGUF model file (versions 2 and 3). The whole file is memory-mapped read-only: metadata and
/// tensor infos are parsed eagerly (they are small), tensor data is never copied — <see cref="GetTensorData"/>
/// returns a span over the mapping. Dispose to unmap; spans obtained earlier become invalid.
/// </summary>
public sealed unsafe class GgufFile : ITensorFile
{
    /// <summary>ASCII "GGUF" read as a little-endian uint32.</summary>
    public const uint Magic = 0x46554747;
    public const uint DefaultAlignment = 32;
    /// <summary>ggml's limit on tensor rank.</summary>
    public const int MaxDims = 4;
    /// <summary>Arrays nested deeper than this are rejected: real files use one level, and unbounded
    /// recursion on a hostile file would overflow the stack.</summary>
    public const int MaxArrayDepth = 8;

    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;
    private readonly Dictionary<string, GgufTensorInfo> _byName;

    public string Path { get; }
    public uint Version { get; }
    public long FileSize { get; }
    public uint Alignment { get; }
    /// <summary>Byte offset of the tensor data section from the start of the file.</summary>
    public long DataOffset { get; }
    public GgufMetadata Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    private GgufFile(string path)
    {
        Path = path;
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"model file not found: {path}", path);
        FileSize = info.Length;
        if (FileSize < 4 + 4 + 8 + 8)
            throw new GgufFormatException($"file is too small ({FileSize} bytes) to be GGUF", "header", 0, path);

        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
            _base += _view.PointerOffset;
            var parsed = GgufParser.Parse(new GgufCursor(_base, FileSize, path));
            (Version, Alignment, DataOffset, Metadata, Tensors) = parsed;
            _byName = new Dictionary<string, GgufTensorInfo>(Tensors.Count, StringComparer.Ordinal);
            foreach (var t in Tensors) _byName[t.Name] = t;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Opens and validates a GGUF file.</summary>
    /// <exception cref="GgufFormatException">The file is malformed; the message names the field and offset.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static GgufFile Open(string path) => new(System.IO.Path.GetFullPath(path));

    /// <summary>The tensor with this name, or null.</summary>
    public GgufTensorInfo? FindTensor(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The tensor with this name.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public GgufTensorInfo GetTensor(string name) =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    /// <summary>Pointer to the first byte of a tensor's data, valid until the file is disposed.</summary>
    public byte* GetTensorPointer(GgufTensorInfo tensor)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        return _base + DataOffset + tensor.Offset;
    }

    /// <summary>A tensor's stored bytes, straight from the mapping (no copy).</summary>
    /// <exception cref="NotSupportedException">The tensor is over 2 GiB; use <see cref="GetTensorPointer"/>.</exception>
    public ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor)
    {
        if (tensor.ByteSize > int.MaxValue)
            throw new NotSupportedException($"tensor '{tensor.Name}' is {tensor.ByteSize} bytes; read it through GetTensorPointer");
        return new ReadOnlySpan<byte>(GetTensorPointer(tensor), (int)tensor.ByteSize);
    }

    /// <summary>A tensor's stored bytes viewed as elements of <typeparamref name="T"/> (F32 as float, F16 as Half…).</summary>
    public ReadOnlySpan<T> GetTensorData<T>(GgufTensorInfo tensor) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(GetTensorData(tensor));

    /// <summary>Total number of weights in all tensors.</summary>
    public long ParameterCount => Tensors.Sum(t => t.ElementCount);

    public void Dispose()
    {
        if (_base != null && _view != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _base = null;
        }
        _view?.Dispose();
        _map?.Dispose();
    }
}

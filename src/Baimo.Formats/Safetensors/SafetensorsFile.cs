using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace Baimo.Formats.Safetensors;

/// <summary>
/// One open <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header, then the tensor
/// bytes. The file is memory-mapped read-only and the header validated on open; tensor data is never
/// copied — <see cref="GetTensorPointer"/> points into the mapping. Dispose to unmap.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>Headers larger than this are refused before anything is read (the reference reader's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    public string Path { get; }
    public long FileSize { get; }
    /// <summary>Byte offset of the data section (8 + header length).</summary>
    public long DataOffset { get; }
    /// <summary>The free-form string map stored under <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>Tensors in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    private SafetensorsFile(string path)
    {
        Path = path;
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        FileSize = info.Length;
        if (FileSize < 8)
            throw new SafetensorsFormatException($"file is too small ({FileSize} bytes) to hold a safetensors header", "header_length", 0, path);

        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
            _base += _view.PointerOffset;
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(_base, 8));
            if (headerLength > (ulong)(FileSize - 8))
                throw new SafetensorsFormatException($"header length {headerLength} is larger than the rest of the file ({FileSize - 8} bytes)", "header_length", 0, path);
            if (headerLength > MaxHeaderBytes)
                throw new SafetensorsFormatException($"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit", "header_length", 0, path);
            DataOffset = 8 + (long)headerLength;
            var (tensors, metadata) = SafetensorsHeaderParser.Parse(
                new ReadOnlySpan<byte>(_base + 8, (int)headerLength), FileSize - DataOffset, path);
            Tensors = tensors;
            Metadata = metadata;
            _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Opens and validates a safetensors file.</summary>
    /// <exception cref="SafetensorsFormatException">The file is malformed; the message names the field and offset.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static SafetensorsFile Open(string path) => new(System.IO.Path.GetFullPath(path));

    /// <summary>The tensor with this name, or null.</summary>
    public SafetensorsTensorInfo? FindTensor(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Pointer to a tensor's first byte, valid until the file is disposed.</summary>
    public byte* GetTensorPointer(SafetensorsTensorInfo tensor)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        return _base + DataOffset + tensor.Begin;
    }

    /// <summary>A tensor's bytes straight from the mapping (no copy).</summary>
    /// <exception cref="NotSupportedException">The tensor is over 2 GiB; use <see cref="GetTensorPointer"/>.</exception>
    public ReadOnlySpan<byte> GetTensorData(SafetensorsTensorInfo tensor)
    {
        if (tensor.ByteSize > int.MaxValue)
            throw new NotSupportedException($"tensor '{tensor.Name}' is {tensor.ByteSize} bytes; read it through GetTensorPointer");
        return new ReadOnlySpan<byte>(GetTensorPointer(tensor), (int)tensor.ByteSize);
    }

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

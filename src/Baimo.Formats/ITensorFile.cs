using Baimo.Formats.Gguf;

namespace Baimo.Formats;

/// <summary>
/// A model's weights as the engine sees them: GGUF-style metadata and tensors under GGUF names and shapes
/// (innermost dimension first), with their bytes in memory the source keeps alive until disposed. A GGUF
/// file is one; a Hugging Face checkpoint directory read through a name and metadata mapping is another.
/// </summary>
public unsafe interface ITensorFile : IDisposable
{
    /// <summary>The file or directory the weights come from.</summary>
    string Path { get; }

    /// <summary>Bytes on disk (all shards together for a checkpoint directory).</summary>
    long FileSize { get; }

    GgufMetadata Metadata { get; }

    IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>The tensor with this name, or null.</summary>
    GgufTensorInfo? FindTensor(string name);

    /// <summary>The tensor with this name.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    GgufTensorInfo GetTensor(string name);

    /// <summary>Pointer to the first byte of a tensor's data, valid until the source is disposed.</summary>
    byte* GetTensorPointer(GgufTensorInfo tensor);

    /// <summary>A tensor's stored bytes without a copy.</summary>
    ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor);

    /// <summary>Total number of weights in all tensors.</summary>
    long ParameterCount { get; }
}

using System.Runtime.InteropServices;
using Baimo.Formats;
using Baimo.Formats.Gguf;
using Baimo.Formats.Safetensors;
using Baimo.Tensors;
using Baimo.Tokenizers;

namespace Baimo.Models.HuggingFace;

/// <summary>
/// A Hugging Face checkpoint directory (<c>config.json</c> + safetensors) seen as GGUF: metadata mapped from
/// the config, tensors under GGUF names and shapes, bytes straight from the memory-mapped shards.
/// Only two things are copied: 1-D tensors stored in F16/BF16 become F32 (norms and biases, a few KiB per
/// layer, as llama.cpp's converter stores them), and — only when <see cref="RotaryOrder.Gguf"/> is asked for,
/// i.e. when writing a GGUF file — the query/key rows of Llama-family models, reordered on first use.
/// </summary>
public sealed unsafe class HuggingFaceCheckpoint : ITensorFile
{
    private readonly SafetensorsCheckpoint _weights;
    private readonly List<GgufTensorInfo> _tensors = [];
    private readonly Dictionary<string, (GgufTensorInfo Info, SafetensorsTensorInfo Source)> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, nint> _copies = new(StringComparer.Ordinal); // native buffers this object owns
    private readonly Lock _copyLock = new();
    private bool _disposed;

    public string Path { get; }
    public HuggingFaceConfig Config { get; }
    public GgufMetadata Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors => _tensors;
    public long FileSize => _weights.TotalBytes;
    public long ParameterCount => _tensors.Sum(t => t.ElementCount);
    public RotaryOrder Order { get; }

    /// <summary>
    /// The rotary pairing the tensors as presented need: half-split (NeoX) for Hugging Face rows — which is
    /// also what Qwen2 uses in GGUF — and adjacent pairs for Llama rows reordered into the GGUF order.
    /// </summary>
    public RopeStyle Rope => Order == RotaryOrder.HuggingFace || Config.Architecture == "qwen2" ? RopeStyle.NeoX : RopeStyle.Normal;

    /// <summary>Where the tokenizer files would be.</summary>
    public string TokenizerJsonPath => System.IO.Path.Combine(Path, "tokenizer.json");

    private HuggingFaceCheckpoint(string directory, RotaryOrder order)
    {
        Path = directory;
        Order = order;
        Config = HuggingFaceConfig.Read(directory);
        Metadata = HuggingFaceMetadata.Build(Config, System.IO.Path.GetFileName(directory.TrimEnd(System.IO.Path.DirectorySeparatorChar)),
            HuggingFaceMetadata.ReadChatTemplate(directory));
        _weights = SafetensorsCheckpoint.Open(directory);
        try
        {
            MapTensors();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Opens a checkpoint directory.</summary>
    /// <param name="directory">Holds config.json and model.safetensors (or shards with their index).</param>
    /// <param name="order">Rows of q/k as stored (for running) or reordered for a GGUF file (for converting).</param>
    /// <exception cref="ModelLoadException">Unsupported architecture or config, unknown tensors or dtypes.</exception>
    /// <exception cref="SafetensorsFormatException">A weights file is malformed.</exception>
    public static HuggingFaceCheckpoint Open(string directory, RotaryOrder order = RotaryOrder.HuggingFace) =>
        new(System.IO.Path.GetFullPath(directory), order);

    /// <summary>Whether a directory looks like a Hugging Face checkpoint (has a config.json).</summary>
    public static bool IsCheckpointDirectory(string path) =>
        Directory.Exists(path) && File.Exists(System.IO.Path.Combine(path, HuggingFaceConfig.FileName));

    private void MapTensors()
    {
        var problems = new List<string>();
        foreach (var src in _weights.Tensors)
        {
            if (HuggingFaceTensorNames.IsIgnored(src.Name)) continue;
            var name = HuggingFaceTensorNames.ToGguf(src.Name);
            if (name is null) { problems.Add($"'{src.Name}' is not a tensor of a {Config.ModelType} model"); continue; }
            // A tied model uses the embedding as the output; a stored copy of it is redundant.
            if (name == TensorNames.Output && Config.TieWordEmbeddings) continue;
            if (!SafetensorsDType.TryGetWeightType(src.DType, out var type))
            {
                problems.Add($"tensor '{src.Name}' has dtype {src.DType} (supported: F32, F16, BF16)");
                continue;
            }
            if (src.Shape.Length is 0 or > 2) { problems.Add($"tensor '{src.Name}' has {src.Shape.Length} dimensions (expected 1 or 2)"); continue; }
            var shape = src.Shape.Reverse().ToArray(); // GGUF lists the innermost dimension first
            if (shape.Length == 1 && type != WeightType.F32)
            {
                WidenVector(name, src, type);
                type = WeightType.F32;
            }
            var info = new GgufTensorInfo(name, type, shape, src.Begin, WeightLayout.Of(type).ByteCount(src.ElementCount));
            _tensors.Add(info);
            _byName[name] = (info, src);
        }
        if (problems.Count > 0)
            throw new ModelLoadException($"{Path} is not a usable {Config.ModelType} checkpoint: {string.Join("; ", problems)}");
    }

    // 1-D F16/BF16 → F32 copy: [n] floats.
    private void WidenVector(string name, SafetensorsTensorInfo src, WeightType type)
    {
        long n = src.ElementCount;
        float* dst = (float*)NativeMemory.Alloc((nuint)Math.Max(1, n * 4));
        _copies[name] = (nint)dst;
        var from = new ReadOnlySpan<byte>(_weights.GetTensorPointer(src.Name), checked((int)src.ByteSize));
        WeightCodecs.Get(type, src.Name).Dequantize(from, new Span<float>(dst, checked((int)n)));
    }

    public GgufTensorInfo? FindTensor(string name) => _byName.TryGetValue(name, out var e) ? e.Info : null;

    public GgufTensorInfo GetTensor(string name) =>
        FindTensor(name) ?? throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    public byte* GetTensorPointer(GgufTensorInfo tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_byName.TryGetValue(tensor.Name, out var e)) throw new KeyNotFoundException($"{Path}: no tensor named '{tensor.Name}'");
        lock (_copyLock)
        {
            if (_copies.TryGetValue(tensor.Name, out var copy)) return (byte*)copy;
            if (Order == RotaryOrder.Gguf && Config.Architecture == "llama" && RotaryHeads(tensor.Name) is int heads)
                return Reorder(e.Info, e.Source, heads);
        }
        return _weights.GetTensorPointer(e.Source.Name);
    }

    private int? RotaryHeads(string name) =>
        HuggingFaceTensorNames.IsQuery(name) ? Config.HeadCount : HuggingFaceTensorNames.IsKey(name) ? Config.HeadCountKv : null;

    // Query/key rows in the GGUF order: [rows][rowBytes], same size as the stored tensor.
    private byte* Reorder(GgufTensorInfo info, SafetensorsTensorInfo src, int heads)
    {
        long rows = info.RowCount, rowBytes = info.ByteSize / Math.Max(1, rows);
        byte* from = _copies.TryGetValue(info.Name, out var widened) ? (byte*)widened : _weights.GetTensorPointer(src.Name);
        byte* dst = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, info.ByteSize));
        try
        {
            RotaryLayout.HuggingFaceToGguf(from, rows, rowBytes, heads, dst);
        }
        catch (ArgumentException ex)
        {
            NativeMemory.Free(dst);
            throw new ModelLoadException($"{Path}: tensor '{src.Name}': {ex.Message}");
        }
        _copies[info.Name] = (nint)dst;
        return dst;
    }

    public ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor)
    {
        if (tensor.ByteSize > int.MaxValue)
            throw new NotSupportedException($"tensor '{tensor.Name}' is {tensor.ByteSize} bytes; read it through GetTensorPointer");
        return new ReadOnlySpan<byte>(GetTensorPointer(tensor), (int)tensor.ByteSize);
    }

    /// <summary>
    /// Reads <c>tokenizer.json</c> (and <c>tokenizer_config.json</c>) when text has to be tokenized.
    /// </summary>
    /// <exception cref="ModelLoadException">No tokenizer files, or a tokenizer Baimo cannot read.</exception>
    public Tokenizer LoadTokenizer()
    {
        if (!File.Exists(TokenizerJsonPath))
            throw new ModelLoadException(
                $"{Path} has no tokenizer.json: the model can evaluate token ids, but text needs a tokenizer (add tokenizer.json and tokenizer_config.json from the original model)");
        var cfg = System.IO.Path.Combine(Path, HuggingFaceMetadata.TokenizerConfigFileName);
        try
        {
            return Tokenizer.FromHuggingFace(TokenizerJsonPath, File.Exists(cfg) ? cfg : null);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelLoadException($"cannot use the tokenizer of {Path}: {e.Message}");
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _weights?.Dispose();
        foreach (var p in _copies.Values) NativeMemory.Free((void*)p);
        _copies.Clear();
    }
}

/// <summary>How a checkpoint presents the rows of its query/key projections.</summary>
public enum RotaryOrder
{
    /// <summary>As stored (half-split pairs); the model runs with NeoX rotary. No copy.</summary>
    HuggingFace,
    /// <summary>Reordered into llama.cpp's adjacent-pair order, as a GGUF file stores them.</summary>
    Gguf,
}

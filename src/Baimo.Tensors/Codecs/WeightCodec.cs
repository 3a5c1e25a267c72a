using System.Collections.Concurrent;

namespace Baimo.Tensors;

/// <summary>Decodes a run of whole blocks into floats: <c>blocks</c> [n][bytesPerBlock] → <c>dst</c> [n·blockSize].</summary>
public delegate void BlockDequantizer(ReadOnlySpan<byte> blocks, Span<float> dst);

/// <summary>Encodes floats into whole blocks: <c>src</c> [n·blockSize] → <c>blocks</c> [n][bytesPerBlock].</summary>
public delegate void BlockQuantizer(ReadOnlySpan<float> src, Span<byte> blocks);

/// <summary>
/// What Baimo knows how to do with one weight type: its block layout, exact dequantization (bit-identical
/// to ggml's <c>to_float</c>), quantization as llama.cpp's reference quantizers do it (what
/// <c>llama-quantize</c> writes without an importance matrix), the activation format its matrix product
/// converts its float input to, and, for activation formats, that conversion as llama.cpp's x86 CPU code
/// does it. Instances live in <see cref="WeightCodecs"/>; all members are thread-safe, and the span
/// methods allocate nothing.
/// </summary>
public sealed class WeightCodec
{
    private readonly BlockDequantizer _dequantize;
    private readonly BlockQuantizer? _quantize;
    private readonly BlockQuantizer? _quantizeActivations;

    internal WeightCodec(WeightType type, WeightType activationType, BlockDequantizer dequantize,
        BlockQuantizer? quantize, BlockQuantizer? quantizeActivations = null)
    {
        Type = type;
        Layout = WeightLayout.Of(type);
        ActivationType = activationType;
        _dequantize = dequantize;
        _quantize = quantize;
        _quantizeActivations = quantizeActivations;
    }

    /// <summary>The weight type.</summary>
    public WeightType Type { get; }

    /// <summary>Block size and bytes per block.</summary>
    public WeightLayout Layout { get; }

    /// <summary>The type's name as ggml spells it in this enum (e.g. "Q4_K").</summary>
    public string Name => Layout.Name;

    /// <summary>
    /// The format a matrix product with weights of this type converts its float activations to before the
    /// dot products (ggml's <c>vec_dot_type</c>): F32, F16, BF16, Q8_0, Q8_1 or Q8_K.
    /// </summary>
    public WeightType ActivationType { get; }

    /// <summary>Whether <see cref="Quantize"/> is available.</summary>
    public bool CanQuantize => _quantize != null;

    /// <summary>Whether this is an activation format (<see cref="QuantizeActivations"/> is available).</summary>
    public bool IsActivationFormat => _quantizeActivations != null;

    /// <summary>Bytes of one row of <paramref name="columns"/> elements.</summary>
    /// <exception cref="ArgumentException">The row is not a whole number of blocks.</exception>
    public long RowBytes(long columns) => Layout.ByteCount(columns);

    /// <summary>Dequantizes whole blocks: <paramref name="blocks"/> [n][BytesPerBlock] → <paramref name="dst"/> [n·BlockSize].</summary>
    /// <exception cref="ArgumentException">The spans do not hold the same whole number of blocks.</exception>
    public void Dequantize(ReadOnlySpan<byte> blocks, Span<float> dst)
    {
        CheckSizes(blocks.Length, dst.Length);
        _dequantize(blocks, dst);
    }

    /// <summary>
    /// Dequantizes row <paramref name="row"/> of a row-major matrix stored in this type
    /// (<paramref name="matrix"/> [rows][RowBytes(columns)]) into <paramref name="dst"/> [columns]; the
    /// exact lookup an embedding table needs.
    /// </summary>
    /// <exception cref="ArgumentException">The row is not a whole number of blocks or lies outside the data.</exception>
    public void DequantizeRow(ReadOnlySpan<byte> matrix, long row, int columns, Span<float> dst)
    {
        long rowBytes = RowBytes(columns);
        if (row < 0 || (row + 1) * rowBytes > matrix.Length)
            throw new ArgumentException($"row {row} of {columns} {Name} values ({rowBytes} bytes each) lies outside the {matrix.Length} bytes of the matrix", nameof(row));
        Dequantize(matrix.Slice((int)(row * rowBytes), (int)rowBytes), dst);
    }

    /// <summary>
    /// Quantizes whole blocks as llama.cpp's reference quantizer for the type does (byte-identical to
    /// <c>llama-quantize</c> without an importance matrix): <paramref name="src"/> [n·BlockSize] →
    /// <paramref name="blocks"/> [n][BytesPerBlock]. Blocks are independent, so any split of a tensor into
    /// runs of whole blocks gives the same bytes.
    /// </summary>
    /// <remarks>
    /// NaN and infinities: F32, F16 and BF16 keep them; the block types do what ggml's reference does with
    /// them, which is deterministic but meaningless for the block that holds one (other blocks are not
    /// affected). Values beyond fp16's range (about ±65504 times the type's largest code) overflow the
    /// block scale. Check weights first where that matters.
    /// </remarks>
    /// <exception cref="NotSupportedException">The type has no quantizer (<see cref="CanQuantize"/> is false).</exception>
    /// <exception cref="ArgumentException">The spans do not hold the same whole number of blocks.</exception>
    public void Quantize(ReadOnlySpan<float> src, Span<byte> blocks)
    {
        if (_quantize == null) throw new NotSupportedException($"Baimo cannot quantize to weight type {Name}");
        CheckSizes(blocks.Length, src.Length);
        _quantize(src, blocks);
    }

    /// <summary>
    /// Converts activations to this activation format exactly as llama.cpp's x86 CPU backend does before a
    /// matrix product (for Q8_0/Q8_1 this rounds half to even with scale 127/amax, unlike
    /// <see cref="Quantize"/> which follows the reference quantizer that writes model files).
    /// </summary>
    /// <exception cref="NotSupportedException">The type is not an activation format.</exception>
    public void QuantizeActivations(ReadOnlySpan<float> src, Span<byte> blocks)
    {
        if (_quantizeActivations == null) throw new NotSupportedException($"{Name} is not an activation format");
        CheckSizes(blocks.Length, src.Length);
        _quantizeActivations(src, blocks);
    }

    /// <summary>
    /// Quantizes a row-major matrix <paramref name="src"/> [rows][columns] into <paramref name="dst"/>
    /// [rows][RowBytes(columns)], splitting the rows across threads. Output is identical to
    /// <see cref="Quantize"/> on the whole matrix.
    /// </summary>
    /// <exception cref="ArgumentException">columns is not a multiple of the block size, or the sizes disagree.</exception>
    public void QuantizeRows(ReadOnlyMemory<float> src, int columns, Memory<byte> dst, int maxDegreeOfParallelism = -1)
    {
        if (_quantize == null) throw new NotSupportedException($"Baimo cannot quantize to weight type {Name}");
        if (columns <= 0 || columns % Layout.BlockSize != 0)
            throw new ArgumentException($"cannot quantize rows of {columns} values to {Name}: the row length must be a positive multiple of its block size {Layout.BlockSize}", nameof(columns));
        if (src.Length % columns != 0)
            throw new ArgumentException($"{src.Length} values is not a whole number of rows of {columns}", nameof(src));
        int rows = src.Length / columns;
        int rowBytes = checked((int)RowBytes(columns));
        if (dst.Length != (long)rows * rowBytes)
            throw new ArgumentException($"{rows} rows of {columns} {Name} values take {(long)rows * rowBytes} bytes, the destination has {dst.Length}", nameof(dst));
        if (rows == 0) return;

        // Chunks of rows big enough (~64k values) that scheduling costs nothing next to the work.
        int rowsPerChunk = Math.Max(1, 65536 / columns);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var quantize = _quantize;
        Parallel.ForEach(Partitioner.Create(0, rows, rowsPerChunk), options, range =>
        {
            int r0 = range.Item1, n = range.Item2 - range.Item1;
            quantize(src.Span.Slice(r0 * columns, n * columns), dst.Span.Slice(r0 * rowBytes, n * rowBytes));
        });
    }

    private void CheckSizes(int byteCount, int floatCount)
    {
        var l = Layout;
        if (byteCount % l.BytesPerBlock != 0)
            throw new ArgumentException($"{byteCount} bytes is not a whole number of {l.Name} blocks of {l.BytesPerBlock} bytes");
        long values = (long)(byteCount / l.BytesPerBlock) * l.BlockSize;
        if (values != floatCount)
            throw new ArgumentException($"{byteCount / l.BytesPerBlock} {l.Name} blocks hold {values} values but the float span has {floatCount}");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

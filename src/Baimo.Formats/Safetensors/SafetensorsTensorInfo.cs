using Baimo.Tensors;

namespace Baimo.Formats.Safetensors;

/// <summary>
/// One tensor of a safetensors file. <see cref="Shape"/> is outermost first, as PyTorch writes it: a linear
/// layer's weight <c>[out, in]</c> is row-major <c>[out][in]</c>. <see cref="Begin"/>/<see cref="End"/> are the
/// byte range relative to the start of the data section (right after the JSON header).
/// </summary>
public sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ByteSize => End - Begin;

    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>The weight type this tensor is computed in.</summary>
    /// <exception cref="NotSupportedException">The dtype is not F32, F16 or BF16; names the tensor and dtype.</exception>
    public WeightType WeightType => SafetensorsDType.TryGetWeightType(DType, out var t)
        ? t
        : throw new NotSupportedException($"tensor '{Name}' has dtype {DType}; Baimo loads only F32, F16 and BF16 safetensors weights");

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

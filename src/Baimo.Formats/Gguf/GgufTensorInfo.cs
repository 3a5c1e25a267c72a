using Baimo.Tensors;

namespace Baimo.Formats.Gguf;

/// <summary>
/// One tensor's entry in a GGUF file. <see cref="Shape"/> lists dimensions innermost first (GGUF's
/// <c>ne</c>): a matrix <c>[ne0 = in, ne1 = out]</c> is stored row-major as <c>[out][in]</c>.
/// <see cref="Offset"/> is relative to the start of the data section.
/// </summary>
public sealed record GgufTensorInfo(string Name, WeightType Type, long[] Shape, long Offset, long ByteSize)
{
    /// <summary>Number of elements (product of the dimensions).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>Elements per row (the innermost dimension).</summary>
    public long RowLength => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Number of rows (all dimensions but the innermost).</summary>
    public long RowCount => RowLength == 0 ? 0 : ElementCount / RowLength;

    /// <summary>The shape the way people write it, outermost first: <c>[32000, 4096]</c> for an embedding table.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape.Reverse()) + "]";

    /// <summary>Name of the type, or its raw id if the type is unknown.</summary>
    public string TypeName => WeightLayout.TryGet(Type, out var l) ? l.Name : $"type#{(uint)Type}";
}

namespace Baimo.Tensors;

/// <summary>
/// A tensor is stored in a weight type Baimo has no codec for (or in a type id it does not know at all).
/// The message names the tensor, the type and the supported types, so a user can tell which file or
/// quantization to pick instead.
/// </summary>
public sealed class UnsupportedWeightTypeException : NotSupportedException
{
    public UnsupportedWeightTypeException(WeightType type, string? tensorName)
        : base(BuildMessage(type, tensorName))
    {
        Type = type;
        TensorName = tensorName;
    }

    /// <summary>The offending type id (possibly not a named <see cref="WeightType"/> member).</summary>
    public WeightType Type { get; }

    /// <summary>The tensor stored in that type (null when the type was asked for without a tensor).</summary>
    public string? TensorName { get; }

    private static string BuildMessage(WeightType type, string? tensorName)
    {
        string typeName = Enum.IsDefined(type) ? type.ToString() : $"id {(uint)type} (unknown to Baimo)";
        string supported = string.Join(", ", WeightCodecs.Supported.Select(c => c.Name));
        return tensorName == null
            ? $"weight type {typeName} is not one Baimo can compute with (supported: {supported})"
            : $"tensor '{tensorName}' has weight type {typeName}, which Baimo cannot compute with (supported: {supported})";
    }
}

namespace Baimo.Tensors;

/// <summary>
/// The storage layout of a weight type: how many elements one block holds and how many bytes it takes.
/// Every type a GGUF file may name has a layout (so any file can be inspected and its offsets checked);
/// whether Baimo can compute with a type is a separate question answered by the codec table.
/// </summary>
public readonly record struct WeightLayout(WeightType Type, string Name, int BlockSize, int BytesPerBlock)
{
    /// <summary>Bytes needed for <paramref name="elements"/> elements (a whole number of blocks).</summary>
    /// <exception cref="ArgumentException">The count is not a multiple of the block size.</exception>
    public long ByteCount(long elements)
    {
        if (elements < 0 || elements % BlockSize != 0)
            throw new ArgumentException($"{elements} elements is not a whole number of {Name} blocks of {BlockSize}");
        return checked(elements / BlockSize * BytesPerBlock);
    }

    private static readonly Dictionary<WeightType, WeightLayout> Table = Build();

    /// <summary>All known layouts.</summary>
    public static IReadOnlyCollection<WeightLayout> All => Table.Values;

    /// <summary>Looks up the layout of a type id read from a file; false for an unknown id.</summary>
    public static bool TryGet(WeightType type, out WeightLayout layout) => Table.TryGetValue(type, out layout);

    /// <summary>The layout of a known type.</summary>
    /// <exception cref="NotSupportedException">The id names no known weight type.</exception>
    public static WeightLayout Of(WeightType type) =>
        Table.TryGetValue(type, out var l) ? l : throw new NotSupportedException($"unknown weight type id {(uint)type}");

    /// <summary>Parses a type name such as "Q4_K" or "f16" (case-insensitive).</summary>
    public static bool TryParse(string name, out WeightType type)
    {
        foreach (var l in Table.Values)
            if (string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase)) { type = l.Type; return true; }
        type = default;
        return false;
    }

    private static Dictionary<WeightType, WeightLayout> Build()
    {
        const int K = 256; // super-block size of the k-quants and i-quants
        var rows = new (WeightType, int, int)[]
        {
            (WeightType.F32, 1, 4), (WeightType.F16, 1, 2), (WeightType.BF16, 1, 2), (WeightType.F64, 1, 8),
            (WeightType.I8, 1, 1), (WeightType.I16, 1, 2), (WeightType.I32, 1, 4), (WeightType.I64, 1, 8),
            (WeightType.Q4_0, 32, 2 + 16), (WeightType.Q4_1, 32, 2 + 2 + 16),
            (WeightType.Q5_0, 32, 2 + 4 + 16), (WeightType.Q5_1, 32, 2 + 2 + 4 + 16),
            (WeightType.Q8_0, 32, 2 + 32), (WeightType.Q8_1, 32, 2 + 2 + 32),
            (WeightType.Q2_K, K, K / 16 + K / 4 + 2 + 2),
            (WeightType.Q3_K, K, K / 8 + K / 4 + 12 + 2),
            (WeightType.Q4_K, K, 2 + 2 + 12 + K / 2),
            (WeightType.Q5_K, K, 2 + 2 + 12 + K / 8 + K / 2),
            (WeightType.Q6_K, K, K / 2 + K / 4 + K / 16 + 2),
            (WeightType.Q8_K, K, 4 + K + K / 16 * 2),
            (WeightType.IQ2_XXS, K, 2 + K / 8 * 2),
            (WeightType.IQ2_XS, K, 2 + K / 8 * 2 + K / 32),
            (WeightType.IQ3_XXS, K, 2 + 3 * K / 8),
            (WeightType.IQ1_S, K, 2 + K / 8 + K / 32 * 2),
            (WeightType.IQ4_NL, 32, 2 + 16),
            (WeightType.IQ3_S, K, 2 + K / 4 + K / 32 + K / 8 + K / 64),
            (WeightType.IQ2_S, K, 2 + K / 4 + K / 32 + K / 32),
            (WeightType.IQ4_XS, K, 2 + 2 + K / 64 + K / 2),
            (WeightType.IQ1_M, K, K / 8 + K / 16 + K / 32),
            (WeightType.TQ1_0, K, (K - 4 * K / 64) / 5 + K / 64 + 2),
            (WeightType.TQ2_0, K, K / 4 + 2),
            (WeightType.MXFP4, 32, 1 + 16),
        };
        var d = new Dictionary<WeightType, WeightLayout>();
        foreach (var (t, bs, bpb) in rows) d[t] = new WeightLayout(t, t.ToString(), bs, bpb);
        return d;
    }
}

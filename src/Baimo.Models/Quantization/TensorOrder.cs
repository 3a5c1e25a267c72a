namespace Baimo.Models.Quantization;

/// <summary>
/// The order llama-quantize writes tensors in (its loader's <c>weight_name_comparer</c>): tensors outside
/// the blocks first, then block by block in layer order, by name (ordinal) within each group. The recipe
/// numbers attn_v and the FFN matrices in this order, and writing in it makes the output file match
/// llama-quantize's byte for byte.
/// </summary>
public sealed class TensorOrder : IComparer<string>
{
    public const string Output = "output.weight";
    public const string TokenEmbedding = "token_embd.weight";

    public static TensorOrder Instance { get; } = new();

    /// <summary>The layer of a <c>blk.N.…</c> name, or −1 (what C's <c>sscanf("blk.%d.")</c> yields).</summary>
    public static int LayerOf(string name)
    {
        if (!name.StartsWith("blk.", StringComparison.Ordinal)) return -1;
        int i = 4, sign = 1;
        if (i < name.Length && name[i] is '+' or '-') { sign = name[i] == '-' ? -1 : 1; i++; }
        int start = i;
        long value = 0;
        while (i < name.Length && char.IsAsciiDigit(name[i]) && value < int.MaxValue) value = value * 10 + (name[i++] - '0');
        return i == start ? -1 : (int)(sign * Math.Min(value, int.MaxValue));
    }

    public int Compare(string? x, string? y)
    {
        if (x == null || y == null) return string.CompareOrdinal(x, y);
        int lx = LayerOf(x), ly = LayerOf(y);
        return lx != ly ? lx.CompareTo(ly) : string.CompareOrdinal(x, y);
    }
}

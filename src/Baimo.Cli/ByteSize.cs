using System.Globalization;
using System.Text.RegularExpressions;

namespace Baimo.Cli;

/// <summary>Sizes as people write them: <c>8GiB</c>, <c>8G</c>, <c>512MB</c>, <c>1.5TiB</c> or plain bytes (binary units either way: memory is sold in them).</summary>
public static partial class ByteSize
{
    public static long Parse(string text, string option)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new UsageException($"{option} must be a size such as 8GiB, 512MiB or a number of bytes (got '{text}')");
        int shift = char.ToUpperInvariant(m.Groups[2].Value.FirstOrDefault()) switch
        {
            'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0,
        };
        return (long)(n * (1L << shift));
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}

namespace Baimo.Cli.Commands;

/// <summary>
/// Left-aligned columns separated by two spaces, the last one unpadded, as <c>list</c>, <c>ps</c> and the
/// <c>kb</c> listings print them. Widths are terminal columns: East Asian wide characters count two, so
/// Chinese document and base names line up.
/// </summary>
internal static class Table
{
    public static void Write(TextWriter output, string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(Width(h), rows.Select(r => Width(r[i])).DefaultIfEmpty(0).Max())).ToArray();
        string Line(string[] cells) =>
            string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c + new string(' ', widths[i] - Width(c)))).TrimEnd();
        output.WriteLine(Line(header));
        foreach (var r in rows) output.WriteLine(Line(r));
    }

    /// <summary>Terminal columns of a string: East Asian wide characters take two.</summary>
    public static int Width(string s)
    {
        int w = 0;
        foreach (var ch in s) w += ch is >= '\u1100' and (<= '\u115F' or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6')) ? 2 : 1;
        return w;
    }
}

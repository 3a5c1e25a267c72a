namespace Baimo.Cli.Commands.Kb;

/// <summary>Left-aligned columns padded to their widest cell (CJK characters count double, as terminals draw them).</summary>
internal static class KbTable
{
    public static void Write(TextWriter o, IReadOnlyList<string[]> rows)
    {
        int columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? Width(r[c]) : 0)).ToArray();
        foreach (var row in rows)
        {
            var line = new System.Text.StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                line.Append(row[c]);
                if (c < row.Length - 1) line.Append(' ', widths[c] - Width(row[c]) + 2);
            }
            o.WriteLine(line.ToString());
        }
    }

    /// <summary>Terminal columns of a string: East Asian wide characters take two.</summary>
    public static int Width(string s)
    {
        int w = 0;
        foreach (var ch in s) w += ch is >= '\u1100' and (<= '\u115F' or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6')) ? 2 : 1;
        return w;
    }
}

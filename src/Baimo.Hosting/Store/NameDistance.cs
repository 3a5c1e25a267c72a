namespace Baimo.Hosting.Store;

/// <summary>Ranks candidate names by similarity to a mistyped one, for "did you mean" lists.</summary>
public static class NameDistance
{
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int max)
    {
        var n = name.ToLowerInvariant();
        return [.. candidates
            .Select(c => (Name: c, Score: Score(n, c.ToLowerInvariant())))
            .Where(x => x.Score <= Math.Max(3, n.Length / 3))
            .OrderBy(x => x.Score).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)];
    }

    /// <summary>Edit distance, except that a name containing the other (a short name for a long one) counts as close.</summary>
    private static int Score(string a, string b) =>
        a.Length > 0 && (b.Contains(a) || a.Contains(b)) ? 1 : Levenshtein(a, b);

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

namespace Baimo.Knowledge.Retrieval;

/// <summary>Builds the FTS5 query for a list of analysed terms: any term may match, BM25 ranks by how many and how rare.</summary>
public static class FullTextQuery
{
    /// <summary>Queries longer than this are cut: later terms add little and every term costs a posting-list scan.</summary>
    public const int MaxTerms = 96;

    /// <summary>The MATCH expression, or null when the query has no searchable term.</summary>
    public static string? Build(IEnumerable<string> terms)
    {
        var distinct = terms.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();
        if (distinct.Count == 0) return null;
        // Each term is quoted so FTS5 reads it as a string, never as an operator (AND, NOT, column filters, '*').
        return string.Join(" OR ", distinct.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }
}

namespace Baimo.Knowledge.Evaluation;

/// <summary>
/// A small in-memory BM25 index (k1 = 1.2, b = 0.75, Lucene's idf) over documents given as term lists. It exists for
/// the reference system of the evaluation; the knowledge base itself uses SQLite FTS5's BM25.
/// </summary>
public sealed class Bm25Index
{
    private const double K1 = 1.2, B = 0.75;
    private readonly Dictionary<string, List<(int Doc, int Tf)>> _postings = new(StringComparer.Ordinal);
    private readonly List<int> _lengths = [];
    private long _totalLength;

    public int Count => _lengths.Count;

    /// <summary>Adds a document; returns its number (0, 1, 2…).</summary>
    public int Add(IEnumerable<string> terms)
    {
        int doc = _lengths.Count;
        var tf = new Dictionary<string, int>(StringComparer.Ordinal);
        int len = 0;
        foreach (var t in terms) { tf[t] = tf.GetValueOrDefault(t) + 1; len++; }
        foreach (var (t, n) in tf)
        {
            if (!_postings.TryGetValue(t, out var list)) _postings[t] = list = [];
            list.Add((doc, n));
        }
        _lengths.Add(len);
        _totalLength += len;
        return doc;
    }

    /// <summary>The <paramref name="k"/> best documents for the query terms (each distinct term counted once), best first.</summary>
    public List<(int Doc, double Score)> Search(IEnumerable<string> queryTerms, int k)
    {
        double avg = Count == 0 ? 1 : (double)_totalLength / Count;
        var scores = new Dictionary<int, double>();
        foreach (var t in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(t, out var list)) continue;
            double idf = Math.Log(1 + (Count - list.Count + 0.5) / (list.Count + 0.5));
            foreach (var (doc, tf) in list)
            {
                double norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * _lengths[doc] / avg));
                scores[doc] = scores.GetValueOrDefault(doc) + idf * norm;
            }
        }
        return scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(k).Select(p => (p.Key, p.Value)).ToList();
    }
}

namespace Baimo.Knowledge.Retrieval;

/// <summary>A chunk after fusion: its fused score and the raw score from each retriever that found it.</summary>
public readonly record struct FusedHit(long Id, double Score, double? FullTextScore, double? VectorScore);

/// <summary>Combines ranked lists by weighted reciprocal rank; only ranks matter, so BM25 and cosine need no common scale.</summary>
public static class RankFusion
{
    /// <summary>Fuses two best-first lists; ties keep full-text order, then vector order.</summary>
    public static List<FusedHit> Fuse(
        IReadOnlyList<(long Id, double Score)> fullText,
        IReadOnlyList<(long Id, double Score)> vector,
        RetrievalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var acc = new Dictionary<long, (double Fused, double? Ft, double? Vec, int Order)>();
        int order = 0;
        for (int r = 0; r < fullText.Count; r++)
        {
            var (id, s) = fullText[r];
            if (acc.ContainsKey(id)) continue;
            acc[id] = (options.FullTextWeight / (options.K + r + 1), s, null, order++);
        }
        for (int r = 0; r < vector.Count; r++)
        {
            var (id, s) = vector[r];
            double add = options.VectorWeight / (options.K + r + 1);
            if (acc.TryGetValue(id, out var e))
            {
                if (e.Vec is not null) continue;
                acc[id] = (e.Fused + add, e.Ft, s, e.Order);
            }
            else acc[id] = (add, null, s, order++);
        }
        return acc
            .OrderByDescending(p => p.Value.Fused).ThenBy(p => p.Value.Order)
            .Select(p => new FusedHit(p.Key, p.Value.Fused, p.Value.Ft, p.Value.Vec))
            .ToList();
    }
}

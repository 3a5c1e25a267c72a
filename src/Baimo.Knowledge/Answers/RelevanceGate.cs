using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Answers;

/// <summary>
/// Decides whether retrieval found anything worth asking the model about. A hit counts when either retriever
/// vouches for it (<see cref="AnswerOptions.MinFullTextScore"/>, <see cref="AnswerOptions.MinVectorScore"/>, where
/// the reasoning behind the defaults is given). The fused score is not used when a retriever score exists: a
/// rank-fusion score depends only on positions, so the top hit of a search that found nothing useful gets the
/// same fused score as the top hit of a perfect one.
/// </summary>
public static class RelevanceGate
{
    public static bool IsRelevant(SearchHit hit, AnswerOptions options)
    {
        if (hit.FullTextScore is null && hit.VectorScore is null) return hit.Score >= options.MinFusedScore;
        return hit.FullTextScore >= options.MinFullTextScore || hit.VectorScore >= options.MinVectorScore;
    }

    public static bool AnyRelevant(IEnumerable<SearchHit> hits, AnswerOptions options) => hits.Any(h => IsRelevant(h, options));
}

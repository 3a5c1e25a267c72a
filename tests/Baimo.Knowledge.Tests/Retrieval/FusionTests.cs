using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Tests.Retrieval;

public class FusionTests
{
    [Fact]
    public void ReciprocalRankFusionAddsWeightedReciprocalRanks()
    {
        var fused = RankFusion.Fuse([(1, 9.0), (2, 8.0), (3, 7.0)], [(3, 0.9), (4, 0.8)], new RetrievalOptions { K = 60 });
        // 2 (full-text rank 2) and 4 (vector rank 2) tie at 1/62; the tie keeps full-text order first.
        Assert.Equal([3L, 1L, 2L, 4L], fused.Select(h => h.Id));
        Assert.Equal(1 / 63.0 + 1 / 61.0, fused[0].Score, 12);
        Assert.Equal((7.0, 0.9), (fused[0].FullTextScore!.Value, fused[0].VectorScore!.Value));
        Assert.Equal(1 / 61.0, fused[1].Score, 12);
        Assert.Null(fused[1].VectorScore);
        Assert.Null(fused[3].FullTextScore);
    }

    [Fact]
    public void AZeroWeightLeavesTheOtherRankingUntouched()
    {
        var fused = RankFusion.Fuse([(1, 3.0), (2, 2.0)], [(2, 0.9), (5, 0.8)], new RetrievalOptions { VectorWeight = 0 });
        Assert.Equal([1L, 2L, 5L], fused.Select(h => h.Id));
    }

    [Fact]
    public async Task HybridHitsCarryBothScores()
    {
        using var dir = new TempDir();
        using var kb = KnowledgeBase.Create(dir.File("kb.sqlite"), new KnowledgeBaseOptions { Embeddings = new HashingEmbeddingGenerator() });
        await kb.AddDocumentAsync("a.txt", "a", new DocBuilder().Paragraph("solar panels on the roof").Build());
        await kb.AddDocumentAsync("b.txt", "b", new DocBuilder().Paragraph("wind turbines at sea").Build());
        var hits = await kb.SearchAsync("solar roof", 2, mode: SearchMode.Hybrid);
        Assert.Equal("a.txt", hits[0].Source);
        Assert.NotNull(hits[0].FullTextScore);
        Assert.NotNull(hits[0].VectorScore);
        Assert.Equal([1, 2], hits.Select(h => h.Rank));
    }
}

using Baimo.Knowledge.Chunking;
using Baimo.Knowledge.Evaluation;
using Baimo.Knowledge.Retrieval;
using Xunit.Abstractions;

namespace Baimo.Knowledge.Tests.Evaluation;

public class CmrcEvaluationTests(ITestOutputHelper output)
{
    [CmrcFact]
    public async Task FullTextBeatsTheBigramSentenceReferenceAtEqualContextBudget()
    {
        var data = SquadDataset.Load(CmrcData.Path!).Take(300);
        var reference = await RetrievalEvaluator.EvaluateAsync(new BigramSentenceReference(data.Passages), data.Questions);
        using var dir = new TempDir();
        using var kb = KnowledgeBase.Create(dir.File("cmrc.kb"));
        await KnowledgeBaseRetriever.IngestAsync(kb, data.Passages);
        var baimo = await RetrievalEvaluator.EvaluateAsync(new KnowledgeBaseRetriever(kb, SearchMode.FullText, "Baimo full text"), data.Questions);
        output.WriteLine(EvalResult.ToMarkdown([reference, baimo]));

        Assert.True(baimo.BudgetRecall >= reference.BudgetRecall + 0.05,
            $"Baimo {baimo.BudgetRecall:P1} vs reference {reference.BudgetRecall:P1} within 600 chars");
        Assert.True(baimo.RecallAt5 > reference.RecallAt5);
    }

    [FullEvalFact]
    public async Task FullDevelopmentSet()
    {
        var data = SquadDataset.Load(CmrcData.Path!);
        int limit = int.TryParse(Environment.GetEnvironmentVariable("BAIMO_EVAL_QUESTIONS"), out var n) ? n : data.Questions.Count;
        data = data.Take(limit);
        var results = new List<EvalResult>
        {
            await RetrievalEvaluator.EvaluateAsync(new BigramSentenceReference(data.Passages), data.Questions),
        };
        var chunking = new ChunkingOptions
        {
            ChunkTokens = int.TryParse(Environment.GetEnvironmentVariable("BAIMO_EVAL_CHUNK"), out var c) ? c : new ChunkingOptions().ChunkTokens,
            OverlapTokens = int.TryParse(Environment.GetEnvironmentVariable("BAIMO_EVAL_OVERLAP"), out var o) ? o : new ChunkingOptions().OverlapTokens,
        };
        var retrieval = new RetrievalOptions
        {
            HeadingWeight = double.TryParse(Environment.GetEnvironmentVariable("BAIMO_EVAL_HEADW"), System.Globalization.CultureInfo.InvariantCulture, out var hw) ? hw : 1.0,
            VectorWeight = double.TryParse(Environment.GetEnvironmentVariable("BAIMO_EVAL_VECW"), System.Globalization.CultureInfo.InvariantCulture, out var vw) ? vw : 1.0,
        };
        using var dir = new TempDir();
        using var embedder = new HashingEmbeddingGenerator();
        using var kb = KnowledgeBase.Create(dir.File("cmrc.kb"), new KnowledgeBaseOptions
        {
            CjkTerms = Enum.TryParse<Baimo.Knowledge.Analysis.CjkTerms>(Environment.GetEnvironmentVariable("BAIMO_EVAL_CJK"), out var cjkTerms) ? cjkTerms : Baimo.Knowledge.Analysis.CjkTerms.WordsAndBigrams,
            Chunking = chunking, Embeddings = embedder, Retrieval = retrieval });
        await KnowledgeBaseRetriever.IngestAsync(kb, data.Passages);
        results.Add(await RetrievalEvaluator.EvaluateAsync(new KnowledgeBaseRetriever(kb, SearchMode.FullText, $"Baimo full text ({chunking.ChunkTokens}/{chunking.OverlapTokens}, {kb.Analyzer}, h{retrieval.HeadingWeight})"), data.Questions));
        if (Environment.GetEnvironmentVariable("BAIMO_EVAL_FTONLY") != "1")
        {
            results.Add(await RetrievalEvaluator.EvaluateAsync(new KnowledgeBaseRetriever(kb, SearchMode.Vector, "Baimo vectors (hashing stand-in)"), data.Questions));
            results.Add(await RetrievalEvaluator.EvaluateAsync(new KnowledgeBaseRetriever(kb, SearchMode.Hybrid, $"Baimo hybrid (hashing stand-in, RRF, vector weight {retrieval.VectorWeight})"), data.Questions));
        }
        var table = EvalResult.ToMarkdown(results);
        output.WriteLine(table);
        var outFile = Environment.GetEnvironmentVariable("BAIMO_EVAL_OUT");
        if (!string.IsNullOrEmpty(outFile)) File.AppendAllText(outFile, table + "\n");
    }
}

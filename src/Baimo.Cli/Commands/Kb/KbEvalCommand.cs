using System.CommandLine;
using Baimo.Knowledge.Evaluation;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Cli.Commands.Kb;

/// <summary>
/// <c>baimo kb eval NAME FILE.json</c>: retrieval quality on a SQuAD-format question set. An empty base is first
/// filled with the set's passages (one document each); then every question is asked of each search mode the base
/// supports and of the reference (character-bigram BM25 over sentences), and the recalls are printed as a table.
/// </summary>
internal static class KbEvalCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Knowledge base (filled with the file's passages when empty)" };
        var file = new Argument<string>("FILE") { Description = "SQuAD-format JSON (data → paragraphs → qas)" };
        var questions = new Option<int>("--questions", "-n") { Description = "Use the first N questions (default: all)" };
        var budget = new Option<int>("--budget") { Description = "Context budget in characters for the answer-recall column (default 600)", DefaultValueFactory = _ => 600 };
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the character-bigram reference" };
        var cmd = new Command("eval", "Measure retrieval on a SQuAD-format question set: recall@1/5/20 and answer recall within a context budget") { name, file, questions, budget, noReference };
        cmd.SetAction(async (pr, ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!File.Exists(path)) throw new UsageException($"question file not found: {path}");
            if (pr.GetValue(budget) < 1) throw new UsageException("--budget must be at least 1");
            var data = SquadDataset.Load(path);
            if (pr.GetValue(questions) > 0) data = data.Take(pr.GetValue(questions));
            var o = pr.InvocationConfiguration.Output;
            using var opened = KbBases.Open(pr.GetValue(name)!);
            var kb = opened.Base;
            if (kb.Documents().Count == 0)
            {
                o.WriteLine($"indexing {data.Passages.Count} passages into '{pr.GetValue(name)}' …");
                await KnowledgeBaseRetriever.IngestAsync(kb, data.Passages, ct);
            }
            var retrievers = new List<IEvalRetriever>();
            if (!pr.GetValue(noReference)) retrievers.Add(new BigramSentenceReference(data.Passages));
            retrievers.Add(new KnowledgeBaseRetriever(kb, SearchMode.FullText, "Baimo full text"));
            if (kb.HasEmbeddings)
            {
                var model = Path.GetFileName(kb.EmbeddingModel);
                retrievers.Add(new KnowledgeBaseRetriever(kb, SearchMode.Vector, $"Baimo vectors ({model})"));
                retrievers.Add(new KnowledgeBaseRetriever(kb, SearchMode.Hybrid, $"Baimo hybrid ({model})"));
            }
            var results = new List<EvalResult>();
            foreach (var r in retrievers)
                results.Add(await RetrievalEvaluator.EvaluateAsync(r, data.Questions, pr.GetValue(budget), ct));
            o.Write(EvalResult.ToMarkdown(results));
            return Cli.Ok;
        });
        return cmd;
    }
}

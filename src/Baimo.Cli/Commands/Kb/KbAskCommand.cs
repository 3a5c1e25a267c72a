using System.CommandLine;
using System.Text.Json;
using Baimo.AI;
using Baimo.Knowledge.Answers;
using Baimo.Models;
using Microsoft.Extensions.AI;

namespace Baimo.Cli.Commands.Kb;

/// <summary>
/// <c>baimo kb ask NAME QUESTION -m CHAT_MODEL</c>: retrieves, fits the best chunks into the model's context, streams
/// an answer that cites them as [1], [2] …, then lists the sources. When nothing relevant is found the model is not
/// run and the answer says so.
/// </summary>
internal static class KbAskCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Knowledge base" };
        var question = new Argument<string>("QUESTION") { Description = "The question, in any language the model speaks" };
        var model = new Option<string>("--model", "-m") { Description = "Chat model: GGUF file, Hugging Face directory or store name", Required = true };
        var k = new Option<int>("-k") { Description = "Chunks to retrieve (default 8)", DefaultValueFactory = _ => 8 };
        var budget = new Option<int>("--budget") { Description = "Tokens of retrieved text the prompt may hold (default: 3000, or less when the context is smaller)" };
        var n = new Option<int>("--n-predict", "-n") { Description = "Most tokens in the answer (default 512)", DefaultValueFactory = _ => 512 };
        var temp = new Option<float>("--temp") { Description = "Sampling temperature (default 0: the most likely answer)", DefaultValueFactory = _ => 0f };
        var threads = CommonOptions.Threads();
        var ctx = CommonOptions.Context(0);
        var mode = KbOptions.Mode();
        var source = KbOptions.SourcePrefix();
        var type = KbOptions.Types();
        var json = new Option<bool>("--json") { Description = "Print the finished answer with its sources as JSON instead of streaming text" };
        var cmd = new Command("ask", "Answer a question from a knowledge base, citing its sources")
            { name, question, model, k, budget, n, temp, threads, ctx, mode, source, type, json };
        cmd.SetAction(async (pr, ct) =>
        {
            var q = pr.GetValue(question)!;
            if (string.IsNullOrWhiteSpace(q)) throw new UsageException("the question is empty");
            if (pr.GetValue(k) < 1) throw new UsageException("-k must be at least 1");
            if (pr.GetValue(n) < 1) throw new UsageException("--n-predict must be at least 1");
            var searchMode = KbOptions.ReadMode(pr, mode);
            using var opened = KbBases.Open(pr.GetValue(name)!, withEmbeddings: searchMode != Knowledge.Retrieval.SearchMode.FullText);
            var hits = await opened.Base.SearchAsync(q, pr.GetValue(k), KbOptions.ReadFilter(pr, source, type), searchMode, ct);

            using var m = ModelRegistry.LoadDecoder(ModelPaths.Resolve(pr.GetValue(model)!));
            int context = pr.GetValue(ctx) > 0 ? pr.GetValue(ctx) : Math.Min(m.Config.ContextLength, 4096);
            // The sources, the instructions, the question and the answer must all fit: keep room for the answer and
            // ~200 tokens of instructions, give the rest (up to 3000) to retrieved text.
            int room = context - pr.GetValue(n) - 200;
            int sourceBudget = pr.GetValue(budget) > 0 ? pr.GetValue(budget) : Math.Min(3000, room);
            if (sourceBudget < 64)
                throw new UsageException($"a context of {context} tokens leaves no room for sources after a {pr.GetValue(n)}-token answer; lower -n or raise --ctx");
            await using var engine = new InferenceEngine(m, new EngineOptions { Slots = 1, ContextLength = context, Threads = pr.GetValue(threads) });
            using var chat = new BaimoChatClient(engine, new BaimoChatClientOptions { DefaultMaxTokens = pr.GetValue(n) });
            var composer = new AnswerComposer(chat, new AnswerOptions
            {
                ContextBudget = sourceBudget,
                ChatOptions = new ChatOptions { Temperature = pr.GetValue(temp), MaxOutputTokens = pr.GetValue(n) },
            });

            var o = pr.InvocationConfiguration.Output;
            Answer? answer = null;
            await foreach (var update in composer.AnswerAsync(q, hits, ct))
            {
                if (update is AnswerTextUpdate t && !pr.GetValue(json)) { o.Write(t.Text); o.Flush(); }
                if (update is AnswerCompletedUpdate done) answer = done.Answer;
            }
            if (answer == null) throw new InvalidOperationException("the answer ended without its sources");
            if (pr.GetValue(json))
            {
                o.WriteLine(JsonSerializer.Serialize(ToJson(answer), KbJson.Options));
                return Cli.Ok;
            }
            o.WriteLine();
            if (answer.Sources.Count > 0)
            {
                o.WriteLine();
                o.WriteLine(answer.Language == AnswerLanguage.Chinese ? "来源：" : "Sources:");
                foreach (var s in answer.Sources)
                {
                    o.WriteLine($"{(s.Cited ? "*" : " ")}[{s.Number}] {s.Label}");
                    o.WriteLine("      " + s.Excerpt.ReplaceLineEndings(" "));
                }
            }
            if (answer.InvalidCitations.Count > 0)
                pr.InvocationConfiguration.Error.WriteLine($"warning: the answer cited sources that do not exist ({string.Join(", ", answer.InvalidCitations.Select(i => $"[{i}]"))}); they were removed");
            return Cli.Ok;
        });
        return cmd;
    }

    private static object ToJson(Answer a) => new Dictionary<string, object?>
    {
        ["answer"] = a.Text,
        ["known"] = a.ModelCalled,
        ["language"] = a.Language.ToString().ToLowerInvariant(),
        ["invalid_citations"] = a.InvalidCitations,
        ["sources"] = a.Sources.Select(s => new Dictionary<string, object?>
        {
            ["number"] = s.Number,
            ["cited"] = s.Cited,
            ["source"] = s.Source,
            ["location"] = s.Location,
            ["headings"] = s.HeadingPath,
            ["excerpt"] = s.Excerpt,
            ["truncated"] = s.Truncated,
            ["score"] = s.Hit.Score,
        }).ToList(),
    };
}

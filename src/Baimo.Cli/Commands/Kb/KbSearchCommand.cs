using System.CommandLine;
using System.Text.Json;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Cli.Commands.Kb;

/// <summary><c>baimo kb search NAME QUERY [-k K] [--mode M] [--source PREFIX] [--type EXT] [--json]</c></summary>
internal static class KbSearchCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Knowledge base" };
        var query = new Argument<string>("QUERY") { Description = "What to look for" };
        var k = new Option<int>("-k") { Description = "Number of chunks (default 5)", DefaultValueFactory = _ => 5 };
        var mode = KbOptions.Mode();
        var source = KbOptions.SourcePrefix();
        var type = KbOptions.Types();
        var json = new Option<bool>("--json") { Description = "Print the hits with their scores as JSON" };
        var cmd = new Command("search", "Find the chunks that best match a query") { name, query, k, mode, source, type, json };
        cmd.SetAction(async (pr, ct) =>
        {
            if (pr.GetValue(k) < 1) throw new UsageException("-k must be at least 1");
            var m = KbOptions.ReadMode(pr, mode);
            using var opened = KbBases.Open(pr.GetValue(name)!, withEmbeddings: m != SearchMode.FullText);
            var hits = await opened.Base.SearchAsync(pr.GetValue(query)!, pr.GetValue(k), KbOptions.ReadFilter(pr, source, type), m, ct);
            var o = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                o.WriteLine(JsonSerializer.Serialize(hits.Select(KbJson.Hit), KbJson.Options));
                return Cli.Ok;
            }
            if (hits.Count == 0) { o.WriteLine("no matching chunks"); return Cli.Ok; }
            foreach (var h in hits)
            {
                o.WriteLine($"[{h.Rank}] {h.Score:F4}  {KbJson.Where(h)}");
                o.WriteLine("    " + KbJson.Excerpt(h.Text, 300).Replace("\n", "\n    "));
            }
            return Cli.Ok;
        });
        return cmd;
    }
}

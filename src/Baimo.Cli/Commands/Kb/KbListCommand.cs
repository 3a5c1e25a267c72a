using System.CommandLine;
using Baimo.Knowledge;

namespace Baimo.Cli.Commands.Kb;

/// <summary><c>baimo kb list</c>: every base with its size.</summary>
internal static class KbListCommand
{
    public static Command Build()
    {
        var cmd = new Command("list", "List knowledge bases");
        cmd.Aliases.Add("ls");
        cmd.SetAction(pr =>
        {
            var o = pr.InvocationConfiguration.Output;
            var catalog = KbBases.Catalog();
            var names = catalog.Names();
            if (names.Count == 0)
            {
                o.WriteLine($"no knowledge bases in {catalog.Root} (create one with 'baimo kb create NAME')");
                return Cli.Ok;
            }
            var header = new[] { "NAME", "DOCUMENTS", "CHUNKS", "SIZE", "SEARCH" };
            var rows = new List<string[]>();
            foreach (var name in names)
            {
                using var kb = KnowledgeBase.Open(catalog.PathOf(name));
                var docs = kb.Documents();
                rows.Add([name, docs.Count.ToString(), docs.Sum(d => d.Chunks).ToString(),
                    InspectCommand.FormatBytes(new FileInfo(kb.Path).Length), kb.EmbeddingModel == null ? "full text" : $"{kb.DefaultSearchMode.ToString().ToLowerInvariant()}, vectors of {Path.GetFileName(kb.EmbeddingModel)}"]);
            }
            Table.Write(o, header, rows);
            return Cli.Ok;
        });
        return cmd;
    }
}

using System.CommandLine;

namespace Baimo.Cli.Commands.Kb;

/// <summary><c>baimo kb docs NAME</c>: the documents in a base.</summary>
internal static class KbDocsCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Knowledge base" };
        var cmd = new Command("docs", "List the documents in a knowledge base") { name };
        cmd.SetAction(pr =>
        {
            using var opened = KbBases.Open(pr.GetValue(name)!, withEmbeddings: false);
            var docs = opened.Base.Documents();
            var o = pr.InvocationConfiguration.Output;
            if (docs.Count == 0) { o.WriteLine("no documents (add some with 'baimo kb add NAME PATH...')"); return Cli.Ok; }
            var header = new[] { "DOCUMENT", "PAGES", "CHUNKS", "SIZE", "ADDED" };
            var rows = new List<string[]>();
            rows.AddRange(docs.Select(d => new[] { d.Source, d.Pages.ToString(), d.Chunks.ToString(), InspectCommand.FormatBytes(d.Size), d.Added.ToLocalTime().ToString("yyyy-MM-dd HH:mm") }));
            Table.Write(o, header, rows);
            o.WriteLine($"{docs.Count} documents, {docs.Sum(d => d.Chunks)} chunks");
            return Cli.Ok;
        });
        return cmd;
    }
}

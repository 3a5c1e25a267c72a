using System.CommandLine;

namespace Baimo.Cli.Commands.Kb;

/// <summary><c>baimo kb remove-doc NAME DOC</c>: drops one document and its chunks.</summary>
internal static class KbRemoveDocCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Knowledge base" };
        var doc = new Argument<string>("DOC") { Description = "The document as 'kb docs' lists it" };
        var cmd = new Command("remove-doc", "Remove one document from a knowledge base") { name, doc };
        cmd.SetAction(pr =>
        {
            using var opened = KbBases.Open(pr.GetValue(name)!, withEmbeddings: false);
            var d = pr.GetValue(doc)!;
            if (!opened.Base.RemoveDocument(d))
                throw new UsageException($"'{d}' is not in knowledge base '{pr.GetValue(name)}' (see 'baimo kb docs {pr.GetValue(name)}')");
            pr.InvocationConfiguration.Output.WriteLine($"removed {d}");
            return Cli.Ok;
        });
        return cmd;
    }
}

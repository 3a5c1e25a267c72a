using System.CommandLine;

namespace Baimo.Cli.Commands.Kb;

/// <summary><c>baimo kb rm NAME</c>: deletes a base's file (the documents themselves are not touched).</summary>
internal static class KbRemoveCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Knowledge base to delete" };
        var cmd = new Command("rm", "Delete a knowledge base (its index only; your files are not touched)") { name };
        cmd.SetAction(pr =>
        {
            var n = pr.GetValue(name)!;
            KbBases.ExistingPath(n);
            KbBases.Catalog().Remove(n);
            pr.InvocationConfiguration.Output.WriteLine($"deleted knowledge base '{n}'");
            return Cli.Ok;
        });
        return cmd;
    }
}

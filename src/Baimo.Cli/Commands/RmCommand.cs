using System.CommandLine;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo rm NAME…</c>: removes models from the store (a file shared by another name stays).</summary>
public static class RmCommand
{
    public static Command Build()
    {
        var names = new Argument<string[]>("NAME") { Description = "Names of pulled models (see 'baimo list')", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("rm", "Remove models from the local store") { names };
        cmd.SetAction(pr =>
        {
            var output = pr.InvocationConfiguration.Output;
            var store = CliStore.Open();
            foreach (var name in pr.GetValue(names)!)
            {
                var found = store.Find(name);
                if (found is null || !store.Remove(found.Name))
                {
                    var close = store.CloseNames(name);
                    throw new FileNotFoundException($"no model named '{name}' in {store.Root}" + (close.Count > 0 ? $"; did you mean {string.Join(", ", close)}?" : ""));
                }
                output.WriteLine($"deleted {found.Name}");
            }
            return Cli.Ok;
        });
        return cmd;
    }
}

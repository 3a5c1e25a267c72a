using System.CommandLine;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo list</c>: the models in the store as a table (name, size, weight type, architecture, when pulled).</summary>
public static class ListCommand
{
    public static Command Build()
    {
        var cmd = new Command("list", "List the models in the local store");
        cmd.Aliases.Add("ls");
        cmd.SetAction(pr =>
        {
            var output = pr.InvocationConfiguration.Output;
            var store = CliStore.Open();
            var models = store.List();
            if (models.Count == 0)
            {
                output.WriteLine($"no models in {store.Root}; 'baimo pull NAME' downloads one");
                return Cli.Ok;
            }
            var rows = models.Select(m => new[]
            {
                m.Name, InspectCommand.FormatBytes(m.Size), m.WeightType, m.Architecture,
                File.Exists(store.PathOf(m)) ? m.PulledAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm") : "(file missing)",
            }).ToList();
            Table.Write(output, ["NAME", "SIZE", "TYPE", "ARCH", "MODIFIED"], rows);
            return Cli.Ok;
        });
        return cmd;
    }
}

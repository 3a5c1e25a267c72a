using System.CommandLine;
using Baimo.Formats.Gguf;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo show NAME [--json] [--full]</c>: where a pulled model came from, then what <c>inspect</c> prints about its file.</summary>
public static class ShowCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "A pulled model's name (or a GGUF path)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var full = new Option<bool>("--full") { Description = "Print arrays (vocabularies, merges) in full instead of a preview" };
        var cmd = new Command("show", "Show a model's source, metadata and tensors") { name, json, full };
        cmd.SetAction(pr =>
        {
            var output = pr.InvocationConfiguration.Output;
            var requested = pr.GetValue(name)!;
            var path = ModelPaths.Resolve(requested);
            using var file = GgufFile.Open(path);
            if (pr.GetValue(json))
            {
                InspectCommand.WriteJson(file, output, pr.GetValue(full));
                return Cli.Ok;
            }
            var store = CliStore.Open();
            if (!File.Exists(requested) && store.Find(requested) is { } m)
            {
                output.WriteLine($"name:        {m.Name}");
                output.WriteLine($"source:      {m.Source}");
                output.WriteLine($"sha256:      {m.Sha256}");
                output.WriteLine($"type:        {m.WeightType}");
                output.WriteLine($"pulled:      {m.PulledAt.ToLocalTime():yyyy-MM-dd HH:mm}");
            }
            InspectCommand.WriteText(file, output, pr.GetValue(full));
            return Cli.Ok;
        });
        return cmd;
    }
}

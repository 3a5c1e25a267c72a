using System.CommandLine;
using System.Globalization;
using Baimo.Models;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo embed -m MODEL --text T [--pooling cls|mean|last]</c>: the pooled, L2-normalised embedding as JSON.</summary>
public static class EmbedCommand
{
    public static Command Build()
    {
        var model = CommonOptions.Model();
        var text = new Option<string>("--text") { Description = "Text to embed", Required = true };
        var pooling = new Option<string?>("--pooling") { Description = "cls, mean or last (default: the model's own)" };
        pooling.AcceptOnlyFromAmong("cls", "mean", "last");
        var cmd = new Command("embed", "Print a text's sentence embedding as JSON") { model, text, pooling };
        cmd.SetAction(pr =>
        {
            using var m = ModelRegistry.LoadEncoder(ModelPaths.Resolve(pr.GetValue(model)!));
            PoolingType? p = pr.GetValue(pooling) switch
            {
                "cls" => PoolingType.Cls,
                "mean" => PoolingType.Mean,
                "last" => PoolingType.Last,
                _ => null,
            };
            var ids = m.Tokenizer.Encode(pr.GetValue(text)!, addSpecial: true);
            var e = m.Embed(ids, p);
            var inv = CultureInfo.InvariantCulture;
            pr.InvocationConfiguration.Output.WriteLine(
                $"{{\"model\":{System.Text.Json.JsonSerializer.Serialize(Path.GetFileName(m.Path))},\"tokens\":{ids.Length},\"dimensions\":{e.Length},\"embedding\":[{string.Join(",", e.Select(v => v.ToString("R", inv)))}]}}");
            return Cli.Ok;
        });
        return cmd;
    }
}

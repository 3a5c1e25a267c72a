using System.CommandLine;
using System.Globalization;
using Baimo.Generation;
using Baimo.Models;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo perplexity -m MODEL -f TEXT -c N [--json]</c>, scored as llama-perplexity scores it.</summary>
public static class PerplexityCommand
{
    public static Command Build()
    {
        var model = CommonOptions.Model();
        var file = new Option<FileInfo>("--file", "-f") { Description = "Text file to score", Required = true };
        var ctx = CommonOptions.Context(512);
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("perplexity", "Perplexity of a model on a text (chunks of -c tokens, second half of each scored)") { model, file, ctx, json, threads };
        cmd.SetAction((pr, ct) =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"text file not found: {f.FullName}");
            int n = pr.GetValue(ctx);
            if (n < 4) throw new UsageException($"--ctx must be at least 4 (got {n})");
            using var m = ModelRegistry.LoadDecoder(ModelPaths.Resolve(pr.GetValue(model)!));
            var o = pr.InvocationConfiguration.Output;
            bool asJson = pr.GetValue(json);
            PerplexityResult r;
            try
            {
                r = Perplexity.Compute(m, File.ReadAllText(f.FullName), n, pr.GetValue(threads),
                    asJson ? null : (c, ppl) => o.Write($"[{c + 1}]{ppl.ToString("F4", CultureInfo.InvariantCulture)} "), ct);
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var inv = CultureInfo.InvariantCulture;
            if (asJson)
                o.WriteLine($"{{\"ppl\":{r.Value.ToString("R", inv)},\"ppl_stderr\":{r.StandardError.ToString("R", inv)},\"chunks\":{r.Chunks},\"n_ctx\":{r.ContextLength},\"tokens_scored\":{r.TokensScored}}}");
            else
            {
                o.WriteLine();
                o.WriteLine($"Final estimate: PPL = {r.Value.ToString("F4", inv)} +/- {r.StandardError.ToString("F5", inv)}");
            }
            return Task.FromResult(Cli.Ok);
        });
        return cmd;
    }
}

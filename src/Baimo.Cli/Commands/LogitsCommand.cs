using System.CommandLine;
using System.Runtime.InteropServices;
using Baimo.Models;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo logits -m MODEL --ids "1 2 3" --out FILE.bin [--dump-activations DIR]</c>.</summary>
public static class LogitsCommand
{
    public static Command Build()
    {
        var model = CommonOptions.Model();
        var ids = new Option<string>("--ids") { Description = "Token ids to evaluate as one batch (spaces or commas)", Required = true };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write float32 little-endian [positions][vocab] logits", Required = true };
        var dump = new Option<DirectoryInfo>("--dump-activations") { Description = "Also write every named intermediate activation (one .bin each, plus index.json) to this folder" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("logits", "Evaluate token ids in one batch and write the logits of every position") { model, ids, output, dump, threads };
        cmd.SetAction(pr =>
        {
            var list = DetokenizeCommand.ParseIds(pr.GetValue(ids)!);
            if (list.Length == 0) throw new UsageException("--ids lists no token ids");
            using var m = ModelRegistry.LoadDecoder(ModelPaths.Resolve(pr.GetValue(model)!));
            foreach (var id in list)
                if ((uint)id >= (uint)m.Config.VocabSize)
                    throw new UsageException($"token id {id} is outside the vocabulary (0..{m.Config.VocabSize - 1})");
            using var session = m.CreateSession(contextLength: Math.Max(list.Length, 1), threads: pr.GetValue(threads), maxBatch: list.Length);
            using var dumper = pr.GetValue(dump) is { } dir ? new ActivationDumper(dir.FullName) : null;
            session.Observer = dumper;
            var logits = new float[(long)list.Length * m.Config.VocabSize];
            session.Evaluate(list, logits, allLogits: true);
            using (var fs = File.Create(pr.GetValue(output)!.FullName))
                fs.Write(MemoryMarshal.AsBytes(logits.AsSpan()));
            pr.InvocationConfiguration.Output.WriteLine($"wrote {list.Length} × {m.Config.VocabSize} logits to {pr.GetValue(output)!.FullName}");
            return Cli.Ok;
        });
        return cmd;
    }
}

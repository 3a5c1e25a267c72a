using System.CommandLine;
using System.Globalization;
using Baimo.Models.HuggingFace;
using Baimo.Models.Quantization;

namespace Baimo.Cli.Commands;

/// <summary>
/// <c>baimo convert HFDIR OUT.gguf [--type T] [--pure] [-t N]</c>: a Hugging Face checkpoint (config.json +
/// safetensors) written as a GGUF file with llama.cpp's names and metadata, in T (default: the checkpoint's
/// own float type), streamed tensor by tensor and written atomically.
/// </summary>
public static class ConvertCommand
{
    public static Command Build()
    {
        var input = new Argument<string>("HFDIR") { Description = "Hugging Face model directory: config.json and model.safetensors (or shards with model.safetensors.index.json)" };
        var output = new Argument<string>("OUT") { Description = "GGUF file to write (replaced atomically)" };
        var type = new Option<string?>("--type") { Description = "Weight type: " + string.Join(", ", QuantizationTargets.All.Select(t => t.Name)) + " (default: the checkpoint's F32/F16/BF16)" };
        var pure = new Option<bool>("--pure") { Description = "Every 2-D weight in TYPE's base type, no per-tensor mixture (norms stay F32)" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("convert", Description()) { input, output, type, pure, threads };
        cmd.SetAction((pr, ct) =>
        {
            QuantizationTarget? target = null;
            if (pr.GetValue(type) is { } name && !QuantizationTargets.TryParse(name, out target))
                throw new UsageException($"unknown --type '{name}'; valid types: {string.Join(", ", QuantizationTargets.All.Select(t => t.Name))}");
            int n = pr.GetValue(threads);
            if (n < 0) throw new UsageException($"--threads must be 0 (one per core) or more (got {n})");
            var dir = pr.GetValue(input)!;
            if (File.Exists(dir))
                throw new UsageException($"'{dir}' is a file; convert reads a Hugging Face model directory (to change the type of a GGUF file, use 'baimo quantize')");
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"model directory not found: {dir}");
            var outPath = Path.GetFullPath(pr.GetValue(output)!);
            if (Directory.Exists(outPath)) throw new UsageException($"'{pr.GetValue(output)}' is a directory; give the path of the .gguf file to write");

            target ??= CheckpointConverter.DefaultTarget(dir);
            var stdout = pr.InvocationConfiguration.Output;
            var stderr = pr.InvocationConfiguration.Error;
            var report = new QuantizeCommand.ProgressReport(stderr, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
            QuantizeResult r;
            try
            {
                r = CheckpointConverter.Convert(dir, outPath, target, pr.GetValue(pure), n, report.OnProgress, ct);
            }
            finally { report.Finish(); }

            if (r.Plan.FallbackCount > 0)
                stderr.WriteLine($"warning: {r.Plan.FallbackCount} of {r.Plan.QuantizedCount} tensors used a fallback type because their row length is not a multiple of the chosen type's block size");
            stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}) -> {2} ({3}) as {4}{5} in {6:F1} s",
                Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))), Mib(r.InputFileBytes), Path.GetFileName(outPath),
                Mib(r.OutputFileBytes), target.Name, pr.GetValue(pure) ? " --pure" : "", r.Elapsed.TotalSeconds));
            return Task.FromResult(Cli.Ok);
        });
        return cmd;
    }

    private static string Description() =>
        "Convert a Hugging Face checkpoint (Llama, Mistral or Qwen2; F32/F16/BF16 safetensors) to a GGUF file with llama.cpp's "
        + "tensor names and metadata: hyper-parameters, special token ids, chat template and, when tokenizer.json is present, the "
        + "vocabulary. --type picks the weight type with the same per-tensor recipe as 'baimo quantize'.";

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F2", CultureInfo.InvariantCulture) + " MiB";
}

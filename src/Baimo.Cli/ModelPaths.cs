using Baimo.Hosting.Store;
using Baimo.Models.HuggingFace;

namespace Baimo.Cli;

/// <summary>
/// Turns the MODEL a user typed into a path: an existing GGUF file or Hugging Face model directory wins; otherwise
/// the name of a model in the store; otherwise a clear error with the store's names that look alike.
/// </summary>
public static class ModelPaths
{
    public static string Resolve(string model)
    {
        if (File.Exists(model)) return Path.GetFullPath(model);
        if (Directory.Exists(model))
        {
            if (HuggingFaceCheckpoint.IsCheckpointDirectory(model)) return Path.TrimEndingDirectorySeparator(Path.GetFullPath(model));
            throw new UsageException($"'{model}' is a directory without config.json; give a .gguf file or a Hugging Face model directory");
        }
        // A name written as a path (absolute, or ./ and ../) can only mean a file; the store is not consulted.
        if (LooksLikePath(model)) throw new FileNotFoundException($"model file not found: {model}");
        var store = CliStore.Open();
        if (store.Find(model) is { } manifest)
        {
            var path = store.PathOf(manifest);
            if (!File.Exists(path))
                throw new FileNotFoundException($"the store lists {manifest.Name} but its file {path} is missing; run 'baimo pull {manifest.Name}' again");
            return path;
        }
        var close = store.CloseNames(model);
        throw new FileNotFoundException($"model not found: '{model}' is neither a file nor a model in the store ({store.Root})"
            + (close.Count > 0 ? $"; did you mean {string.Join(", ", close)}?" : $"; 'baimo pull {model}' downloads it, 'baimo list' shows the store"));
    }

    private static bool LooksLikePath(string model) =>
        Path.IsPathRooted(model) || model.StartsWith("./", StringComparison.Ordinal) || model.StartsWith("../", StringComparison.Ordinal)
        || model.StartsWith(".\\", StringComparison.Ordinal) || model.StartsWith("..\\", StringComparison.Ordinal);
}

using Baimo.Models.HuggingFace;

namespace Baimo.Cli;

/// <summary>Turns the MODEL a user typed into a path — a GGUF file or a Hugging Face model directory — with a clear error when there is none.</summary>
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
        throw new FileNotFoundException($"model file not found: {model}");
    }
}

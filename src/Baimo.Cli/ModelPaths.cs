namespace Baimo.Cli;

/// <summary>Turns the MODEL a user typed into a file path, with a clear error when there is none.</summary>
public static class ModelPaths
{
    public static string Resolve(string model)
    {
        if (File.Exists(model)) return Path.GetFullPath(model);
        if (Directory.Exists(model)) throw new UsageException($"'{model}' is a directory; give the path of a .gguf file");
        throw new FileNotFoundException($"model file not found: {model}");
    }
}

using Baimo.Hosting.Store;
using Baimo.Models.HuggingFace;

namespace Baimo.Hosting.Knowledge;

/// <summary>
/// Where the embedding model a base records lives. A base stores what the user typed when creating it (a path
/// or a store name), so this follows the CLI's order: an existing file or Hugging Face directory, else the store.
/// </summary>
public static class EmbeddingModelFiles
{
    public static string Resolve(string model, ModelStore store)
    {
        if (File.Exists(model)) return Path.GetFullPath(model);
        if (Directory.Exists(model) && HuggingFaceCheckpoint.IsCheckpointDirectory(model))
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(model));
        if (store.Find(model) is { } manifest)
        {
            var path = store.PathOf(manifest);
            if (File.Exists(path)) return path;
            throw new FileNotFoundException($"the store lists {manifest.Name} but its file {path} is missing");
        }
        throw new FileNotFoundException($"embedding model '{model}' is neither a file nor a model in the store ({store.Root})");
    }
}

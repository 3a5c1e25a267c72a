using Baimo.Formats.Gguf;
using Baimo.Tokenizers;

namespace Baimo.Cli;

/// <summary>Builds a tokenizer from what the user named: a GGUF file or a Hugging Face tokenizer.json (or its folder).</summary>
public static class TokenizerLoader
{
    public static Tokenizer Load(string model)
    {
        if (Directory.Exists(model) && File.Exists(Path.Combine(model, "tokenizer.json")))
            return FromHuggingFace(Path.Combine(model, "tokenizer.json"));
        var path = ModelPaths.Resolve(model);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return FromHuggingFace(path);
        using var file = GgufFile.Open(path);
        return Tokenizer.FromGgufMetadata(file.Metadata);
    }

    private static Tokenizer FromHuggingFace(string tokenizerJson)
    {
        var config = Path.Combine(Path.GetDirectoryName(tokenizerJson)!, "tokenizer_config.json");
        return Tokenizer.FromHuggingFace(tokenizerJson, File.Exists(config) ? config : null);
    }
}

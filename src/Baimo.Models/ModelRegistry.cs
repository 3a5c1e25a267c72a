using Baimo.Formats.Gguf;
using Baimo.Tokenizers;

namespace Baimo.Models;

/// <summary>Architectures by <c>general.architecture</c>: each entry builds a model from an opened file.</summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, Func<GgufFile, ModelConfig, Tokenizer, TransformerModel>> Builders = new()
    {
        ["llama"] = (f, c, t) => new DecoderModel(f, c, t, DecoderFlavor.Llama),
        ["qwen2"] = (f, c, t) => new DecoderModel(f, c, t, DecoderFlavor.Qwen2),
        ["bert"] = (f, c, t) => new EncoderModel(f, c, t),
    };

    public static IReadOnlyCollection<string> Architectures => Builders.Keys;

    public static TransformerModel Load(string path)
    {
        var file = GgufFile.Open(path);
        try
        {
            var arch = file.Metadata.GetString("general.architecture")
                ?? throw new ModelLoadException($"{System.IO.Path.GetFileName(path)}: general.architecture is missing");
            if (!Builders.TryGetValue(arch, out var build))
                throw new ModelLoadException($"architecture '{arch}' is not supported (supported: {string.Join(", ", Builders.Keys)})");
            var tokenizer = Tokenizer.FromGgufMetadata(file.Metadata);
            var config = ModelConfig.FromMetadata(file.Metadata, tokenizer.VocabSize);
            return build(file, config, tokenizer);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Loads a model that must generate text (a decoder).</summary>
    public static DecoderModel LoadDecoder(string path)
    {
        var m = Load(path);
        if (m is DecoderModel d) return d;
        m.Dispose();
        throw new ModelLoadException($"'{m.Config.Architecture}' is an embedding model; it cannot generate text");
    }

    /// <summary>Loads a model that produces sentence embeddings (an encoder).</summary>
    public static EncoderModel LoadEncoder(string path)
    {
        var m = Load(path);
        if (m is EncoderModel e) return e;
        m.Dispose();
        throw new ModelLoadException($"'{m.Config.Architecture}' is not an embedding model (supported for embeddings: bert)");
    }
}

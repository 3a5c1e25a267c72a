using Baimo.Formats;
using Baimo.Formats.Gguf;
using Baimo.Models.HuggingFace;
using Baimo.Tokenizers;

namespace Baimo.Models;

/// <summary>
/// Architectures by <c>general.architecture</c>: each entry builds a model from opened weights — a GGUF file,
/// or a Hugging Face checkpoint directory whose config and tensor names are mapped to GGUF's.
/// </summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, Func<ITensorFile, ModelConfig, Lazy<Tokenizer>, TransformerModel>> Builders = new()
    {
        ["llama"] = (f, c, t) => new DecoderModel(f, c, t, DecoderFlavor.Llama),
        ["qwen2"] = (f, c, t) => new DecoderModel(f, c, t, DecoderFlavor.Qwen2),
        ["bert"] = (f, c, t) => new EncoderModel(f, c, t),
    };

    public static IReadOnlyCollection<string> Architectures => Builders.Keys;

    /// <summary>Opens a GGUF file, or a Hugging Face checkpoint when <paramref name="path"/> is a directory.</summary>
    public static TransformerModel Load(string path) =>
        Directory.Exists(path) ? LoadCheckpoint(path) : LoadGguf(path);

    private static TransformerModel LoadGguf(string path)
    {
        var file = GgufFile.Open(path);
        try
        {
            var build = BuilderFor(file.Metadata.GetString("general.architecture"), path);
            if (file.Metadata.ContainsKey("tokenizer.ggml.tokens"))
            {
                var tokenizer = Tokenizer.FromGgufMetadata(file.Metadata);
                var config = ModelConfig.FromMetadata(file.Metadata, tokenizer.VocabSize);
                return build(file, config, new Lazy<Tokenizer>(tokenizer));
            }
            // A file without a vocabulary (converted from a checkpoint that had no tokenizer files) still
            // evaluates token ids; its vocabulary size is the embedding's row count.
            int vocab = checked((int)(file.FindTensor(TensorNames.TokenEmbedding)?.RowCount
                ?? throw new ModelLoadException($"{System.IO.Path.GetFileName(path)} has neither a vocabulary nor {TensorNames.TokenEmbedding}")));
            var cfg = ModelConfig.FromMetadata(file.Metadata, vocab);
            var name = System.IO.Path.GetFileName(path);
            return build(file, cfg, new Lazy<Tokenizer>(() => throw new ModelLoadException(
                $"{name} has no vocabulary (tokenizer.ggml.tokens): the model can evaluate token ids, but text needs a tokenizer")));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static TransformerModel LoadCheckpoint(string path)
    {
        var checkpoint = HuggingFaceCheckpoint.Open(path);
        try
        {
            var build = BuilderFor(checkpoint.Config.Architecture, path);
            var config = ModelConfig.FromMetadata(checkpoint.Metadata, checkpoint.Config.VocabSize) with { Rope = checkpoint.Rope };
            return build(checkpoint, config, new Lazy<Tokenizer>(checkpoint.LoadTokenizer));
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    private static Func<ITensorFile, ModelConfig, Lazy<Tokenizer>, TransformerModel> BuilderFor(string? arch, string path)
    {
        if (arch is null) throw new ModelLoadException($"{System.IO.Path.GetFileName(path)}: general.architecture is missing");
        return Builders.TryGetValue(arch, out var build)
            ? build
            : throw new ModelLoadException($"architecture '{arch}' is not supported (supported: {string.Join(", ", Builders.Keys)})");
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

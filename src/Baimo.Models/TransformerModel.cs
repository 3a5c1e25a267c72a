using Baimo.Formats.Gguf;
using Baimo.Tokenizers;

namespace Baimo.Models;

/// <summary>
/// A loaded model: the memory-mapped GGUF file, its hyper-parameters and its tokenizer. Weights are
/// never copied out of the mapping (except small vectors). Dispose to unmap.
/// </summary>
public abstract class TransformerModel : IDisposable
{
    protected TransformerModel(GgufFile file, ModelConfig config, Tokenizer tokenizer)
    {
        File = file;
        Config = config;
        Tokenizer = tokenizer;
    }

    public GgufFile File { get; }
    public ModelConfig Config { get; }
    public Tokenizer Tokenizer { get; }
    public string Path => File.Path;

    /// <summary>The chat template stored in the file (<c>tokenizer.chat_template</c>), if any.</summary>
    public string? ChatTemplate => File.Metadata.GetString("tokenizer.chat_template");

    /// <summary>Opens a GGUF model of any supported architecture.</summary>
    /// <exception cref="ModelLoadException">Unknown architecture, missing or mis-shaped tensors, missing keys.</exception>
    public static TransformerModel Load(string path) => ModelRegistry.Load(path);

    public virtual void Dispose()
    {
        File.Dispose();
        GC.SuppressFinalize(this);
    }
}

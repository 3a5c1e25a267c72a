using Baimo.Formats;
using Baimo.Tokenizers;

namespace Baimo.Models;

/// <summary>
/// A loaded model: its memory-mapped weights (a GGUF file or a Hugging Face checkpoint directory), its
/// hyper-parameters and its tokenizer. Weights are never copied out of the mapping (except small vectors).
/// The tokenizer is built on first use, so a checkpoint without tokenizer files still evaluates token ids.
/// Dispose to unmap.
/// </summary>
public abstract class TransformerModel : IDisposable
{
    private readonly Lazy<Tokenizer> _tokenizer;

    protected TransformerModel(ITensorFile file, ModelConfig config, Lazy<Tokenizer> tokenizer)
    {
        File = file;
        Config = config;
        _tokenizer = tokenizer;
    }

    public ITensorFile File { get; }
    public ModelConfig Config { get; }

    /// <summary>The tokenizer (built on first use).</summary>
    /// <exception cref="ModelLoadException">The model has no tokenizer, or it cannot be read.</exception>
    public Tokenizer Tokenizer => _tokenizer.Value;

    public string Path => File.Path;

    /// <summary>The chat template stored with the model (<c>tokenizer.chat_template</c>), if any.</summary>
    public string? ChatTemplate => File.Metadata.GetString("tokenizer.chat_template");

    /// <summary>Opens a GGUF model file or a Hugging Face checkpoint directory of any supported architecture.</summary>
    /// <exception cref="ModelLoadException">Unknown architecture, missing or mis-shaped tensors, missing keys.</exception>
    public static TransformerModel Load(string path) => ModelRegistry.Load(path);

    public virtual void Dispose()
    {
        File.Dispose();
        GC.SuppressFinalize(this);
    }
}

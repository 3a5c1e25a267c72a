using Baimo.Formats.Gguf;
using Baimo.Tokenizers;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>Tokenizers loaded once per test run: a 151k byte-level BPE vocabulary and a 32k SentencePiece one.</summary>
internal static class Vocabularies
{
    private static readonly Lazy<Tokenizer> LazyQwen2 = new(() => Load("ggml-vocab-qwen2.gguf"));
    private static readonly Lazy<Tokenizer> LazyLlamaSpm = new(() => Load("ggml-vocab-llama-spm.gguf"));

    public static Tokenizer Qwen2 => LazyQwen2.Value;
    public static Tokenizer LlamaSpm => LazyLlamaSpm.Value;

    public static Tokenizer Get(string name) => name switch
    {
        "qwen2" => Qwen2,
        "llama-spm" => LlamaSpm,
        _ => throw new ArgumentException(name),
    };

    private static Tokenizer Load(string file)
    {
        using var f = GgufFile.Open(Baimo.Testing.Oracle.Path("tokenizers", file));
        return Tokenizer.FromGgufMetadata(f.Metadata);
    }
}

namespace Baimo.Tokenizers;

/// <summary>Per-token attributes (same bit values as GGUF/llama token attributes).</summary>
[Flags]
public enum TokenAttributes
{
    Undefined = 0,
    Unknown = 1 << 0,
    Unused = 1 << 1,
    Normal = 1 << 2,
    Control = 1 << 3,
    UserDefined = 1 << 4,
    Byte = 1 << 5,
    Normalized = 1 << 6,
    LeftStrip = 1 << 7,
    RightStrip = 1 << 8,
    SingleWord = 1 << 9,
}

/// <summary>The GGUF <c>tokenizer.ggml.token_type</c> values.</summary>
public enum GgufTokenType
{
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>Tokenization algorithm.</summary>
public enum TokenizerModelKind
{
    /// <summary>SentencePiece-style merges by score with byte fallback (GGUF <c>llama</c>).</summary>
    SentencePiece,
    /// <summary>Byte-level BPE with merge ranks and a regex pre-tokenizer (GGUF <c>gpt2</c>).</summary>
    BytePairEncoding,
    /// <summary>BERT WordPiece (GGUF <c>bert</c>).</summary>
    WordPiece,
}

using Baimo.Formats.Gguf;
using Baimo.Models.HuggingFace;
using Baimo.Testing;

namespace Baimo.Models.Tests.HuggingFace;

/// <summary>
/// The vocabulary metadata made from a tokenizer.json must equal what llama.cpp's converter wrote for the same
/// tokenizer (the oracle's vocabulary-only GGUF files): tokens, token types, merges, pre-tokenizer, special ids.
/// </summary>
public class VocabularyConversionTests
{
    [Theory]
    [InlineData("qwen3", "ggml-vocab-qwen2.gguf", 151936, 151643, 151645)]
    [InlineData("llama3", "ggml-vocab-llama-bpe.gguf", 128256, 128000, 128001)]
    public void MatchesLlamaCppsConversion(string hf, string vocabFile, int vocabSize, int configBos, int configEos)
    {
        using var reference = GgufFile.Open(Oracle.Path("tokenizers", vocabFile));
        var md = new GgufMetadata();
        md.Set("tokenizer.ggml.bos_token_id", (uint)configBos); // as config.json gives them
        md.Set("tokenizer.ggml.eos_token_id", (uint)configEos);
        HuggingFaceVocabulary.AddTo(md, Oracle.Path("tokenizers", "hf", hf), vocabSize);

        foreach (var key in new[] { "tokenizer.ggml.model", "tokenizer.ggml.pre" })
            Assert.Equal(reference.Metadata.GetString(key), md.GetString(key));
        var tokens = (string[])md.GetArray("tokenizer.ggml.tokens")!;
        var refTokens = (string[])reference.Metadata.GetArray("tokenizer.ggml.tokens")!;
        Assert.Equal(refTokens.Length, tokens.Length);
        Assert.Equal(refTokens, tokens);
        var types = (int[])md.GetArray("tokenizer.ggml.token_type")!;
        var refTypes = (int[])reference.Metadata.GetArray("tokenizer.ggml.token_type")!;
        var differing = Enumerable.Range(0, refTypes.Length).Where(i => types[i] != refTypes[i]).Take(5)
            .Select(i => $"{i} '{refTokens[i]}': {types[i]} vs {refTypes[i]}").ToList();
        Assert.True(differing.Count == 0, string.Join("; ", differing));
        Assert.Equal((string[])reference.Metadata.GetArray("tokenizer.ggml.merges")!, (string[])md.GetArray("tokenizer.ggml.merges")!);
        foreach (var key in new[] { "bos_token_id", "eos_token_id", "padding_token_id", "unknown_token_id" })
            Assert.Equal(reference.Metadata.GetInt("tokenizer.ggml." + key), md.GetInt("tokenizer.ggml." + key));
        Assert.Equal(reference.Metadata.GetBool("tokenizer.ggml.add_bos_token"), md.GetBool("tokenizer.ggml.add_bos_token"));
    }
}

using Baimo.Formats.Gguf;
using Baimo.Testing;
using Baimo.Tokenizers;

namespace Baimo.Cli.Tests;

public class TokenizeCommandTests
{
    private static readonly string Qwen = Oracle.Path("tokenizers", "ggml-vocab-qwen2.gguf");
    private static readonly string Spm = Oracle.Path("tokenizers", "ggml-vocab-llama-spm.gguf");

    private static Tokenizer Load(string path)
    {
        using var f = GgufFile.Open(path);
        return Tokenizer.FromGgufMetadata(f.Metadata);
    }

    [Fact]
    public void IdsLineMatchesTheLibraryWithAndWithoutBos()
    {
        const string text = "Hello 世界, 百模!  \n\t emoji 🦙";
        var tok = Load(Spm);
        var (code, o, _) = CliRunner.Run("tokenize", "-m", Spm, "--text", text, "--ids");
        Assert.Equal(0, code);
        var ids = o.Trim().Split(' ').Select(int.Parse).ToArray();
        Assert.Equal(tok.Encode(text, addSpecial: true), ids);
        Assert.Equal(tok.BosId, ids[0]);

        (code, o, _) = CliRunner.Run("tokenize", "-m", Spm, "--text", text, "--ids", "--no-bos");
        Assert.Equal(0, code);
        Assert.Equal(ids[1..], o.Trim().Split(' ').Select(int.Parse));
    }

    [Fact]
    public void ParseSpecialTurnsMarkersIntoSpecialTokens()
    {
        var tok = Load(Qwen);
        int imStart = tok.FindToken("<|im_start|>");
        Assert.True(imStart > 0);
        var (_, plain, _) = CliRunner.Run("tokenize", "-m", Qwen, "--text", "<|im_start|>user", "--ids");
        var (_, special, _) = CliRunner.Run("tokenize", "-m", Qwen, "--text", "<|im_start|>user", "--ids", "--parse-special");
        Assert.DoesNotContain(imStart.ToString(), plain.Split(' ', StringSplitOptions.TrimEntries));
        Assert.Equal(imStart.ToString(), special.Split(' ')[0]);
    }

    [Fact]
    public void TableShowsPiecesAndPartialUtf8AsHex()
    {
        var (code, o, _) = CliRunner.Run("tokenize", "-m", Qwen, "--text", "百模 🦙");
        Assert.Equal(0, code);
        Assert.Contains("'百'", o);
        Assert.Contains("\\x", o);              // the llama emoji is split into byte tokens
        Assert.Contains("tokens)", o);
    }

    [Fact]
    public void FileInputAndHuggingFaceFolder()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "百模 is great");
            var (code, fromGguf, _) = CliRunner.Run("tokenize", "-m", Qwen, "--file", file, "--ids");
            Assert.Equal(0, code);
            var (code2, fromHf, _) = CliRunner.Run("tokenize", "-m", Oracle.Path("tokenizers", "hf", "qwen3"), "--file", file, "--ids");
            Assert.Equal(0, code2);
            Assert.Equal(fromGguf, fromHf);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void DetokenizeRoundTrips()
    {
        const string text = "Chinese 中文 and emoji 🦙 round-trip";
        var (_, ids, _) = CliRunner.Run("tokenize", "-m", Qwen, "--text", text, "--ids");
        var (code, o, _) = CliRunner.Run("detokenize", "-m", Qwen, "--ids", ids.Trim());
        Assert.Equal(0, code);
        Assert.Equal(text, o.TrimEnd('\n'));
    }

    [Theory]
    [InlineData(2, "tokenize", "--text", "a")]                              // no model
    [InlineData(2, "tokenize", "-m", "MODEL", "--text", "a", "--file", "b")]  // both inputs
    [InlineData(2, "tokenize", "-m", "MODEL")]                              // neither input
    [InlineData(2, "tokenize", "-m", "MODEL", "--text", "a", "--bogus")]    // unknown option
    [InlineData(2, "detokenize", "-m", "MODEL", "--ids", "1 x 3")]          // not an id
    [InlineData(2, "detokenize", "-m", "MODEL", "--ids", "99999999")]       // outside the vocabulary
    [InlineData(2, "nonsense")]
    [InlineData(1, "tokenize", "-m", "/nonexistent.gguf", "--text", "a")]
    [InlineData(1, "tokenize", "-m", "MODEL", "--file", "/nonexistent.txt")]
    [InlineData(0, "tokenize", "--help")]
    [InlineData(0, "--help")]
    public void ExitCodes(int expected, params string[] args)
    {
        args = args.Select(a => a == "MODEL" ? Qwen : a).ToArray();
        var (code, o, e) = CliRunner.Run(args);
        Assert.Equal(expected, code);
        if (expected == 0) Assert.Contains("Usage", o);
        else
        {
            Assert.StartsWith("baimo: ", e);
            Assert.Single(e.TrimEnd('\n').Split('\n'));
        }
    }
}

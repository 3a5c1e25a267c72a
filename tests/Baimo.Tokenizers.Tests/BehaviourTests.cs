using System.Text;
using Baimo.Tokenizers.PreTokenization;

namespace Baimo.Tokenizers.Tests;

public sealed class BehaviourTests
{
    [Fact]
    public void EmptyText()
    {
        foreach (string name in OracleData.VocabNames)
            Assert.Empty(OracleData.Gguf(name).Encode("", addSpecial: false));
        Assert.Equal([1], OracleData.Gguf("llama-spm").Encode(""));
        Assert.Equal([128000], OracleData.Gguf("llama-bpe").Encode(""));
        Assert.Equal([101, 102], OracleData.Gguf("bert-bge").Encode(""));
        Assert.Empty(OracleData.Gguf("qwen2").Encode(""));
        Assert.Equal("", OracleData.Gguf("qwen2").Decode([]));
    }

    [Fact]
    public void AddSpecialAddsBosAndSeparator()
    {
        var spm = OracleData.Gguf("llama-spm");
        Assert.True(spm.AddBos && !spm.AddEos && spm.AddSpacePrefix);
        Assert.Equal([1, .. spm.Encode("Hello world", addSpecial: false)], spm.Encode("Hello world"));
        var bert = OracleData.Gguf("bert-bge");
        Assert.Equal([101, .. bert.Encode("Hello world", addSpecial: false), 102], bert.Encode("Hello world"));
        var llama3 = OracleData.Gguf("llama-bpe");
        Assert.Equal([128000, 9906, 1917], llama3.Encode("Hello world"));
    }

    [Fact]
    public void SpecialTokenParsingOnAndOff()
    {
        var llama3 = OracleData.Gguf("llama-bpe");
        const string text = "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>";
        int[] on = llama3.Encode(text, addSpecial: false, parseSpecial: true);
        Assert.Equal([128006, 882, 128007, 271, 13347, 128009], on);
        int[] off = llama3.Encode(text, addSpecial: false, parseSpecial: false);
        Assert.DoesNotContain(128006, off);
        Assert.DoesNotContain(128009, off);
        Assert.Equal(text, llama3.Decode(off));
        // control tokens render only when asked
        Assert.Equal("user\n\nHi", llama3.Decode(on));
        Assert.Equal(text, llama3.Decode(on, unparseSpecial: true));
        Assert.True(llama3.IsEndOfGeneration(128009));
        Assert.Equal(128009, llama3.EotId);

        // SPM: a space prefix is added to text that follows a special token
        var spm = OracleData.Gguf("llama-spm");
        int[] s = spm.Encode("<s>Hello</s>", addSpecial: false, parseSpecial: true);
        Assert.Equal(1, s[0]);
        Assert.Equal(2, s[^1]);
        Assert.Equal(spm.Encode("Hello", addSpecial: false), s[1..^1]);
    }

    [Fact]
    public void RightStripAttributeOfPhi3SpecialTokens()
    {
        var phi3 = OracleData.Gguf("phi-3");
        int user = phi3.FindToken("<|user|>");
        Assert.True((phi3.GetAttributes(user) & TokenAttributes.RightStrip) != 0);
        Assert.True((phi3.GetAttributes(phi3.FindToken("<s>")) & TokenAttributes.RightStrip) == 0);
        Assert.Equal(phi3.Encode("<|user|>Hi", addSpecial: false, parseSpecial: true),
                     phi3.Encode("<|user|> \n Hi", addSpecial: false, parseSpecial: true));
    }

    [Fact]
    public void InvalidUtf8AndLoneSurrogates()
    {
        foreach (string name in (string[])["llama-bpe", "qwen2", "gpt-2", "deepseek-llm", "falcon"])
        {
            var tok = OracleData.Gguf(name);
            int[] fffd = tok.Encode("\uFFFD", addSpecial: false);
            Assert.Equal(fffd, tok.Encode("\uD800", addSpecial: false));
            Assert.Equal(fffd, tok.Encode([0xFF], addSpecial: false));
            Assert.Equal(tok.Encode("a\uFFFDb", addSpecial: false), tok.Encode([(byte)'a', 0xC3, (byte)'b'], addSpecial: false));
        }
        // SPM works on bytes: invalid bytes fall back to byte tokens
        var spm = OracleData.Gguf("llama-spm");
        Assert.Equal([29871, 3 + 0xFF], spm.Encode([0xFF], addSpecial: false));
        Assert.Equal([0xFF], spm.DecodeToBytes([29871, 3 + 0xFF]));
        Assert.Equal("\uFFFD", spm.Decode([29871, 3 + 0xFF]));
    }

    [Theory]
    [InlineData("llama-bpe")]
    [InlineData("qwen2")]
    [InlineData("llama-spm")]
    [InlineData("deepseek-coder")]
    public void ChineseEmojiAndWhitespaceRoundTrip(string name)
    {
        var tok = OracleData.Gguf(name);
        foreach (string text in HuggingFaceTests.ExtraTexts)
        {
            if (tok.CleanSpaces && (text.Contains(" .") || text.Contains(" !") || text.Contains(" ?") || text.Contains(" ,") || text.Contains(" '"))) continue;
            if (text.Contains('\0') || text.StartsWith('\uFEFF')) continue;
            Assert.Equal(text, tok.Decode(tok.Encode(text, addSpecial: false)));
        }
        Assert.Equal("    ", tok.Decode(tok.Encode("    ", addSpecial: false)));
    }

    [Fact]
    public void TokenPiecesAndAttributes()
    {
        var spm = OracleData.Gguf("llama-spm");
        Assert.Equal(32000, spm.VocabSize);
        Assert.Equal(TokenAttributes.Unknown, spm.GetAttributes(0));
        Assert.Equal(TokenAttributes.Control, spm.GetAttributes(1));
        Assert.Equal(TokenAttributes.Byte, spm.GetAttributes(3 + 10));
        Assert.Equal(TokenAttributes.Normal, spm.GetAttributes(15043));
        Assert.Equal("▁Hello", spm.GetTokenText(15043));
        Assert.Equal(" Hello"u8.ToArray(), spm.TokenToPiece(15043));
        Assert.Equal("Hello"u8.ToArray(), spm.TokenToPiece(15043, lstrip: 1));
        Assert.Equal("\n"u8.ToArray(), spm.TokenToPiece(3 + 10));
        Assert.Equal(13, spm.NewlineId);
        Assert.Equal("<s>"u8.ToArray(), spm.TokenToPiece(1, special: true));
        Assert.Empty(spm.TokenToPiece(1, special: false));
        Span<byte> small = stackalloc byte[2];
        Assert.Equal(-6, spm.TokenToPiece(15043, small));
        Assert.Throws<ArgumentOutOfRangeException>(() => spm.TokenToPiece(32000));

        // llama_detokenize quirks: leading space removed from the first piece; kept after a removed BOS
        Assert.Equal("Hello", spm.Decode([15043]));
        Assert.Equal(" Hello", spm.Decode([1, 15043], removeSpecial: true));
        Assert.Equal("<s> Hello", spm.Decode([1, 15043], unparseSpecial: true));

        var gpt2 = OracleData.Gguf("gpt-2");
        Assert.Equal("Ġworld", gpt2.GetTokenText(995));
        Assert.Equal(" world"u8.ToArray(), gpt2.TokenToPiece(995));
        Assert.Equal(50257, gpt2.VocabSize);
        Assert.Equal(50256, gpt2.EosId);
        Assert.Contains(50256, gpt2.EndOfGenerationIds);

        var bert = OracleData.Gguf("bert-bge");
        Assert.Equal(TokenizerModelKind.WordPiece, bert.Kind);
        Assert.Equal(100, bert.UnknownId);
        Assert.Equal(102, bert.SeparatorId);
    }

    [Fact]
    public void SpanAndListOverloadsAgree()
    {
        var tok = OracleData.Gguf("qwen2");
        const string text = "The quick brown fox 跳过 the lazy dog 🐕.";
        int[] ids = tok.Encode(text);
        var list = new List<int> { 42 };
        tok.Encode(text.AsSpan(), list);
        Assert.Equal([42, .. ids], list);
        Span<int> dst = stackalloc int[64];
        int n = tok.Encode(text.AsSpan(), dst);
        Assert.Equal(ids, dst[..n].ToArray());
        Assert.Equal(-ids.Length, tok.Encode(text.AsSpan(), dst[..2]));
        Assert.Equal(ids.Length, tok.CountTokens(text));
        Assert.Equal(ids, tok.Encode(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void UnsupportedModelsAreNamed()
    {
        var md = new Dictionary<string, object> { ["tokenizer.ggml.model"] = "t5", ["tokenizer.ggml.tokens"] = new[] { "a" } };
        var e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromGgufMetadata(md));
        Assert.Contains("'t5'", e.Message);
        md["tokenizer.ggml.model"] = "gpt2";
        md["tokenizer.ggml.pre"] = "no-such-pre";
        md["tokenizer.ggml.merges"] = Array.Empty<string>();
        e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromGgufMetadata(md));
        Assert.Contains("'no-such-pre'", e.Message);
    }

    [Fact]
    public void IdsAcceptAnyIntegerBoxing()
    {
        string[] tokens = ["<unk>", "<s>", "</s>", "▁a", "▁b", "▁"];
        foreach (object bos in (object[])[(uint)1, 1, (ulong)1, (long)1, (ushort)1, (byte)1])
        {
            var md = new Dictionary<string, object>
            {
                ["tokenizer.ggml.model"] = "llama",
                ["tokenizer.ggml.tokens"] = tokens,
                ["tokenizer.ggml.scores"] = new float[] { 0, 0, 0, -1, -2, -3 },
                ["tokenizer.ggml.token_type"] = new int[] { 2, 3, 3, 1, 1, 1 },
                ["tokenizer.ggml.bos_token_id"] = bos,
                ["tokenizer.ggml.eos_token_id"] = (uint)2,
                ["tokenizer.ggml.unknown_token_id"] = 0u,
                ["tokenizer.ggml.padding_token_id"] = uint.MaxValue, // out of range: ignored
            };
            var tok = Tokenizer.FromGgufMetadata(md);
            Assert.Equal(1, tok.BosId);
            Assert.Equal(-1, tok.PaddingId);
            Assert.Equal([1, 3, 4], tok.Encode("a b"));
        }
    }

    /// <summary>The hand-written splitters behave exactly like their patterns run through the general regex path.</summary>
    [Theory]
    [InlineData(PreTokenizer.Gpt2Pattern)]
    [InlineData(PreTokenizer.Llama3Pattern)]
    [InlineData(PreTokenizer.Qwen2Pattern)]
    public void HandWrittenSplittersEqualTheRegex(string pattern)
    {
        var fast = PreTokenizer.FromPatterns("fast", [pattern]);
        var slow = new PreTokenizer("regex", [RegexStage.Create(pattern)]);
        var rng = new Random(1234);
        int[] alphabet =
        [
            ' ', ' ', ' ', '\t', '\n', '\r', 'a', 'B', 'z', 'S', 's', 't', 'l', 'L', 'r', 'e', 'E', 'v', 'm', 'd', 'D', '\'', '\'',
            '0', '7', '.', ',', '!', '-', '/', '$', '_', 0xA0, 0x3000, 0x2028, 0x85, 0xE9, 0x4F60, 0x1F600, 0x0301, 0x0660, 0x2160,
            0x00B2, 0xE000, 0x0378, 0x200B, 0x1F3FB, 0x10400, 0xFFFD,
        ];
        var views = new FragmentViews();
        List<int> a = [], b = [], tmp = [];
        var sb = new StringBuilder();
        for (int iter = 0; iter < 3000; iter++)
        {
            sb.Clear();
            int len = rng.Next(1, 24);
            for (int i = 0; i < len; i++) sb.Append(char.ConvertFromUtf32(alphabet[rng.Next(alphabet.Length)]));
            string s = sb.ToString();
            views.Load(Encoding.UTF8.GetBytes(s));
            fast.Split(views, a, tmp);
            slow.Split(views, b, tmp);
            Assert.True(a.SequenceEqual(b), $"'{s}' ({string.Join(",", s.Select(c => ((int)c).ToString("X")))}): fast [{string.Join(",", a)}] regex [{string.Join(",", b)}]");
        }
    }
}

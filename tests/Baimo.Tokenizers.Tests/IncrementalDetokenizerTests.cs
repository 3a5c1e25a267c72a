using System.Text;

namespace Baimo.Tokenizers.Tests;

public sealed class IncrementalDetokenizerTests
{
    [Theory]
    [InlineData("llama-spm")]
    [InlineData("llama-bpe")]
    [InlineData("qwen2")]
    [InlineData("gpt-2")]
    public void StreamsMultiByteCharactersSplitAcrossTokens(string name)
    {
        var tok = OracleData.Gguf(name);
        const string text = "Hi 🦙🦙 你好 \U0001D518\U0001D52B ẞ ок 😶‍🌫️ end";
        int[] ids = tok.Encode(text, addSpecial: false);
        var detok = tok.CreateIncrementalDetokenizer(skipLeadingSpace: tok.AddSpacePrefix);
        var sb = new StringBuilder();
        int split = 0;
        foreach (int id in ids)
        {
            string chunk = detok.Append(id);
            Assert.DoesNotContain('\uFFFD', chunk);
            if (chunk.Length > 0) Assert.False(char.IsHighSurrogate(chunk[^1]));
            if (detok.HasPending) split++;
            sb.Append(chunk);
        }
        sb.Append(detok.Flush());
        Assert.Equal(text, sb.ToString());
        Assert.Equal(tok.Decode(ids), sb.ToString());
        Assert.True(split > 0, "expected at least one character split across tokens");
    }

    [Fact]
    public void HoldsBackIncompleteAndReplacesInvalid()
    {
        var tok = OracleData.Gguf("llama-spm");
        var d = tok.CreateIncrementalDetokenizer();
        // 你 = E4 BD A0 as three byte tokens (<0xXX> = 3 + byte)
        Assert.Equal("", d.Append(3 + 0xE4));
        Assert.True(d.HasPending);
        Assert.Equal("", d.Append(3 + 0xBD));
        Assert.Equal("你", d.Append(3 + 0xA0));
        Assert.False(d.HasPending);

        // an incomplete sequence followed by ASCII is certainly invalid
        Assert.Equal("", d.AppendBytes([0xE4, 0xBD]));
        Assert.Equal("\uFFFDA", d.AppendBytes("A"u8));
        // a stray continuation byte is invalid at once
        Assert.Equal("\uFFFD", d.AppendBytes([0x80]));
        // pending bytes at the end become U+FFFD on flush
        Assert.Equal("", d.AppendBytes([0xF0, 0x9F]));
        Assert.Equal("\uFFFD", d.Flush());
        Assert.Equal("", d.Flush());
    }

    [Fact]
    public void ControlTokensRenderOnlyWhenAsked()
    {
        var tok = OracleData.Gguf("llama-bpe");
        int[] ids = tok.Encode("<|begin_of_text|>Hi", addSpecial: false, parseSpecial: true);
        var plain = tok.CreateIncrementalDetokenizer();
        Assert.Equal("Hi", string.Concat(ids.Select(plain.Append)) + plain.Flush());
        var special = tok.CreateIncrementalDetokenizer(renderSpecial: true);
        Assert.Equal("<|begin_of_text|>Hi", string.Concat(ids.Select(special.Append)) + special.Flush());
    }
}

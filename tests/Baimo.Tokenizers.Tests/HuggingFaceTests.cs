using System.Text;
using Xunit.Abstractions;

namespace Baimo.Tokenizers.Tests;

/// <summary>tokenizer.json inputs agree with their GGUF twins (qwen3 ↔ qwen2, llama3 ↔ llama-bpe).</summary>
public sealed class HuggingFaceTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Twins => new() { { "qwen3", "qwen2" }, { "llama3", "llama-bpe" } };

    internal static readonly string[] ExtraTexts =
    [
        "", " ", "  ", "\u00A0", "\u3000", "a\u3000b", "\u2028\u2029\u0085", "Hello\u00A0world",
        "你好，世界！这是一个测试。", "我想在apple工作1314151天～", "日本語のテキスト、カタカナとひらがな。", "한국어 텍스트입니다",
        "😀😃😄😁 👨‍👩‍👧‍👦 🏳️‍🌈 🇺🇸", "🦙🦙🦙 llama", "\U0001D518\U0001D52B\U0001D526", "\U00020000\U0002A6D6",
        "   leading", "trailing   ", "\t\ttabs\t", "\r\n\r\n", "a\r\nb\rc\nd", "\n\n\n\n", "    \n    \n",
        "It's I'LL WE'RE you'Ve she'D THEY'M 's 'S", "don't' 'tis", "1234567890 12 123 1234 12345", "3.14159 1e-10 0x1F",
        "x = [i**2 for i in range(10)]  # squares\n    return x", "fn main() { println!(\"hi\"); }",
        "<|im_start|>user\nHi<|im_end|>", "<|begin_of_text|><|eot_id|>", "<tool_call>{\"a\":1}</tool_call>", "<think>hmm</think>",
        "ÀÉÎÕÜ àéîõü ñ ß ẞ Σσς İı", "e\u0301 a\u0308 combining", "\u200B\u200C\u200D zero width", "\uFEFFbom",
        "Ελληνικά кириллица עברית العربية हिन्दी ไทย", "\u0000\u0001\u001F control", "$100 + 20% = €120 ≈ ¥",
        "----====____****", "......!!!!????", "a'b'c'd", "\u00B9\u00B2\u00B3 \u2160\u2161 \u0660\u0661",
    ];

    [Theory]
    [MemberData(nameof(Twins))]
    public void OracleCasesMatchReferenceIds(string hf, string gguf)
    {
        Tokenizer tok = OracleData.HuggingFace(hf);
        var cases = OracleData.Cases(gguf);
        int ok = 0;
        var failures = new List<string>();
        foreach (var (input, expected) in cases)
        {
            int[] got = tok.Encode(input, addSpecial: false, parseSpecial: false);
            if (got.AsSpan().SequenceEqual(expected)) ok++;
            else failures.Add($"'{OracleData.Show(input)}': expected [{string.Join(' ', expected)}] got [{string.Join(' ', got)}]");
        }
        output.WriteLine($"{hf}: {ok}/{cases.Count} oracle cases of {gguf}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Twins))]
    public void ExtraTextsMatchGgufTwin(string hf, string gguf)
    {
        Tokenizer a = OracleData.HuggingFace(hf), b = OracleData.Gguf(gguf);
        foreach (string text in ExtraTexts)
        {
            foreach (bool parseSpecial in (bool[])[false, true])
            {
                int[] x = a.Encode(text, addSpecial: false, parseSpecial: parseSpecial);
                int[] y = b.Encode(text, addSpecial: false, parseSpecial: parseSpecial);
                Assert.True(x.AsSpan().SequenceEqual(y), $"'{text}' (parseSpecial={parseSpecial}): hf [{string.Join(' ', x)}] gguf [{string.Join(' ', y)}]");
                Assert.Equal(b.DecodeToBytes(y, unparseSpecial: true), a.DecodeToBytes(x, unparseSpecial: true));
            }
        }
    }

    [Fact]
    public void SpecialTokensAndFlagsFollowTheConfig()
    {
        Tokenizer qwen = OracleData.HuggingFace("qwen3");
        Assert.Equal(TokenizerModelKind.BytePairEncoding, qwen.Kind);
        Assert.Equal("qwen2", qwen.PreTokenizerName);
        Assert.Equal(qwen.FindToken("<|im_end|>"), qwen.EosId);
        Assert.False(qwen.AddBos);
        Assert.True(qwen.IsEndOfGeneration(qwen.FindToken("<|im_end|>")));
        Assert.True(qwen.IsEndOfGeneration(qwen.FindToken("<|endoftext|>")));
        Assert.Equal(TokenAttributes.Control, qwen.GetAttributes(qwen.FindToken("<|im_start|>")) & TokenAttributes.Control);
        Assert.Equal(TokenAttributes.UserDefined, qwen.GetAttributes(qwen.FindToken("<tool_call>")) & TokenAttributes.UserDefined);
        Assert.Equal(qwen.NewlineId, OracleData.Gguf("qwen2").NewlineId);

        Tokenizer llama = OracleData.HuggingFace("llama3");
        Assert.Equal("llama3", llama.PreTokenizerName);
        Assert.Equal(128000, llama.BosId);
        Assert.Equal(128001, llama.EosId);
        Assert.True(llama.CleanSpaces);
        Assert.Equal([128000, 9906, 128009], llama.Encode("<|begin_of_text|>Hello<|eot_id|>", addSpecial: false, parseSpecial: true));
    }
}

using System.Text;
using Xunit.Abstractions;

namespace Baimo.Tokenizers.Tests;

/// <summary>Every test-tokenizer-0 case of every reference vocabulary (add_special = false, parse_special = false).</summary>
public sealed class OracleVocabularyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Vocabs => new(OracleData.VocabNames);

    [Theory]
    [MemberData(nameof(Vocabs))]
    public void EncodeMatchesReferenceIds(string name)
    {
        Tokenizer tok = OracleData.Gguf(name);
        var cases = OracleData.Cases(name);
        var failures = new List<string>();
        foreach (var (input, expected) in cases)
        {
            int[] got = tok.Encode(input, addSpecial: false, parseSpecial: false);
            if (!got.AsSpan().SequenceEqual(expected))
                failures.Add($"'{OracleData.Show(input)}': expected [{string.Join(' ', expected)}] got [{string.Join(' ', got)}]");
        }
        output.WriteLine($"{name}: {cases.Count - failures.Count}/{cases.Count} cases");
        Assert.True(failures.Count == 0, $"{name}: {failures.Count} of {cases.Count} cases differ:\n" + string.Join("\n", failures));
    }
}

/// <summary>Decoding the reference ids gives back the input wherever llama_detokenize round-trips.</summary>
public sealed class OracleRoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Vocabs => new(OracleData.VocabNames.Where(n => n != "bert-bge"));

    /// <summary>What the clean-up of spaces (clean_up_tokenization_spaces) does to these inputs.</summary>
    private static string CleanUp(string s) =>
        s.Replace(" ?", "?").Replace(" !", "!").Replace(" .", ".").Replace(" ,", ",")
         .Replace(" 's", "'s").Replace(" 'm", "'m").Replace(" 're", "'re").Replace(" 've", "'ve");

    [Theory]
    [MemberData(nameof(Vocabs))]
    public void DecodeGivesBackTheInput(string name)
    {
        Tokenizer tok = OracleData.Gguf(name);
        int exact = 0, cleaned = 0;
        var failures = new List<string>();
        foreach (var (input, expected) in OracleData.Cases(name))
        {
            string text = Encoding.UTF8.GetString(input);
            string decoded = tok.Decode(expected);
            Assert.Equal(decoded, Encoding.UTF8.GetString(tok.DecodeToBytes(expected)));
            if (decoded == text) exact++;
            else if (tok.CleanSpaces && decoded == CleanUp(text)) cleaned++;
            else failures.Add($"'{OracleData.Show(input)}' -> '{decoded}'");
        }
        output.WriteLine($"{name}: {exact} exact, {cleaned} differ only by the clean-up of spaces");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        if (!tok.CleanSpaces) Assert.Equal(0, cleaned);
    }

    [Fact]
    public void WordPieceDecodingIsStable()
    {
        // WordPiece does not round-trip (lowercasing, accents, spaces); re-encoding the decoded text is stable.
        Tokenizer tok = OracleData.Gguf("bert-bge");
        foreach (var (_, expected) in OracleData.Cases("bert-bge"))
        {
            string decoded = tok.Decode(expected);
            Assert.Equal(tok.Decode(tok.Encode(decoded, addSpecial: false)), decoded);
        }
    }
}

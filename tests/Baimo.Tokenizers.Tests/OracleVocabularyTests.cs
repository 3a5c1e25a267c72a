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

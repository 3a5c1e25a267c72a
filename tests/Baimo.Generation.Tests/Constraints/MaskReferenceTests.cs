using System.Text;
using System.Text.Json;
using Baimo.Generation.Constraints;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>
/// The trie walk (with its plain-text shortcut) must allow exactly the tokens that a naive check allows:
/// feed each token's bytes through the automaton on its own, from the same threads.
/// </summary>
public class MaskReferenceTests
{
    private const string Schema = """
        {"type":"object","properties":{
          "name":{"type":"string","maxLength":4},
          "mood":{"anyOf":[{"enum":["happy","hungry"]},{"type":"string","minLength":3}]},
          "n":{"type":"number"},
          "list":{"type":"array","items":{"type":["integer","null"]}}},
         "required":["name","mood"]}
        """;

    [Theory]
    [InlineData("qwen2", "")]
    [InlineData("qwen2", "{\"name\": \"ab")]        // two code points left before maxLength
    [InlineData("qwen2", "{\"name\": \"ab\\")]       // after a backslash
    [InlineData("qwen2", "{\"name\": \"abc\", \"mood\": \"h")] // enum threads beside a free string
    [InlineData("qwen2", "{\"name\": \"\", \"mood\": \"x\xE4")]  // inside a multi-byte character
    [InlineData("llama-spm", "{\"name\": \"\", \"mood\": \"hun")]
    [InlineData("llama-spm", "{\"name\": \"a\", \"mood\": \"ok!\", \"n\": -1.5")]
    [InlineData("llama-spm", "{\"name\": \"a\", \"mood\": \"ok!\", \"list\": [1, ")]
    [InlineData("llama-spm", "")]
    public void TrieWalkMatchesTokenByTokenCheck(string vocab, string prefix)
    {
        var tok = Vocabularies.Get(vocab);
        var c = (GrammarConstraint)JsonConstraint.ForSchema(tok, JsonDocument.Parse(Schema).RootElement);
        var bytes = Latin1Tail(prefix);
        Assert.True(c.TryAdvance(bytes));
        var allowed = (bool[])c.ComputeAllowed().Clone();
        int mismatches = 0;
        var first = new StringBuilder();
        for (int id = 0; id < tok.VocabSize; id++)
        {
            bool expected = !tok.IsEndOfGeneration(id) && !tok.IsControl(id) && Continues(c.Threads, tok.TokenToPiece(id));
            if (expected != allowed[id] && !tok.IsEndOfGeneration(id) && mismatches++ < 5)
                first.Append($"{id} '{tok.GetTokenText(id)}' expected {expected}; ");
        }
        Assert.True(mismatches == 0, $"{mismatches} mismatches: {first}");
    }

    /// <summary>UTF-8 of the text, except that a final \xE4-style char stands for that raw byte (a cut character).</summary>
    private static byte[] Latin1Tail(string s) =>
        s.Length > 0 && s[^1] is >= '\x80' and <= '\xFF' ? [.. Encoding.UTF8.GetBytes(s[..^1]), (byte)s[^1]] : Encoding.UTF8.GetBytes(s);

    private static bool Continues(CursorList threads, byte[] piece)
    {
        if (piece.Length == 0) return false;
        var current = new CursorList();
        current.CopyFrom(threads);
        foreach (byte b in piece)
        {
            var next = new CursorList();
            for (int k = 0; k < current.Count; k++) JsonAutomaton.Step(current.Items[k], b, next);
            if (next.Count == 0) return false;
            current = next;
        }
        return true;
    }
}

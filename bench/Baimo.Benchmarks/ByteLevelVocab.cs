using System.Text;

namespace Baimo.Benchmarks;

/// <summary>
/// Re-expresses a GGUF byte-level BPE vocabulary in the file formats other tokenizer libraries load
/// (vocab.json + merges.txt, or a tiktoken rank file), so they can be measured on the same vocabulary.
/// </summary>
public static class ByteLevelVocab
{
    public static MemoryStream VocabJson(string[] tokens)
    {
        var ms = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            var seen = new HashSet<string>();
            for (int i = 0; i < tokens.Length; i++)
                if (seen.Add(tokens[i])) w.WriteNumber(tokens[i], i);
            w.WriteEndObject();
        }
        ms.Position = 0;
        return ms;
    }

    public static MemoryStream MergesTxt(string[] merges)
    {
        var ms = new MemoryStream(Encoding.UTF8.GetBytes("#version: 0.2\n" + string.Join('\n', merges) + "\n"));
        return ms;
    }

    /// <summary>A tiktoken file: base64 of each token's bytes and its rank (= id), for the non-special tokens.</summary>
    public static MemoryStream Tiktoken(string[] tokens, int[] tokenTypes)
    {
        var decode = UnicodeToByte();
        var sb = new StringBuilder();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokenTypes[i] != 1) continue; // normal tokens only; specials are passed separately
            var bytes = new byte[tokens[i].Length];
            bool ok = true;
            for (int k = 0; k < tokens[i].Length; k++)
            {
                if (!decode.TryGetValue(tokens[i][k], out bytes[k])) { ok = false; break; }
            }
            if (ok) sb.Append(Convert.ToBase64String(bytes)).Append(' ').Append(i).Append('\n');
        }
        return new MemoryStream(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    /// <summary>The inverse of GPT-2's printable-character mapping of the 256 byte values.</summary>
    private static Dictionary<char, byte> UnicodeToByte()
    {
        var map = new Dictionary<char, byte>();
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char)b : (char)(256 + extra++);
            map[c] = (byte)b;
        }
        return map;
    }
}

using System.Collections.Concurrent;
using System.Text;
using Baimo.Formats.Gguf;
using Baimo.Testing;

namespace Baimo.Tokenizers.Tests;

/// <summary>Loads the reference vocabularies and their test-tokenizer-0 cases (cached per process).</summary>
internal static class OracleData
{
    public static readonly string[] VocabNames =
    [
        "bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2", "llama-bpe",
        "llama-spm", "mpt", "phi-3", "qwen2", "refact", "starcoder",
    ];

    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> s_gguf = new();
    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> s_hf = new();

    public static string VocabPath(string name) => Oracle.Path("tokenizers", $"ggml-vocab-{name}.gguf");

    public static Tokenizer Gguf(string name) => s_gguf.GetOrAdd(name, n => new Lazy<Tokenizer>(() =>
    {
        using var f = GgufFile.Open(VocabPath(n));
        return Tokenizer.FromGgufMetadata(f.Metadata);
    })).Value;

    public static Tokenizer HuggingFace(string name) => s_hf.GetOrAdd(name, n => new Lazy<Tokenizer>(() =>
        Tokenizer.FromHuggingFace(
            Oracle.Path("tokenizers", "hf", n, "tokenizer.json"),
            Oracle.Path("tokenizers", "hf", n, "tokenizer_config.json")))).Value;

    /// <summary>Cases as test-tokenizer-0 reads them: inputs split on "\n__ggml_vocab_test__\n", one .out line each.</summary>
    public static IReadOnlyList<(byte[] Input, int[] Expected)> Cases(string name)
    {
        byte[] raw = File.ReadAllBytes(VocabPath(name) + ".inp");
        string[] outLines = File.ReadAllText(VocabPath(name) + ".out").Split('\n');
        if (outLines.Length > 0 && outLines[^1].Length == 0) outLines = outLines[..^1];

        byte[] sep = "\n__ggml_vocab_test__\n"u8.ToArray();
        var inputs = new List<byte[]>();
        int pos = 0;
        while (pos < raw.Length)
        {
            int next = raw.AsSpan(pos).IndexOf(sep);
            if (next < 0) { inputs.Add(raw[pos..]); break; }
            inputs.Add(raw[pos..(pos + next)]);
            pos += next + sep.Length;
        }
        if (inputs.Count != outLines.Length) throw new InvalidDataException($"{name}: {inputs.Count} inputs but {outLines.Length} outputs");

        var cases = new List<(byte[], int[])>();
        for (int i = 0; i < inputs.Count; i++)
        {
            int[] ids = outLines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(int.Parse).ToArray();
            cases.Add((inputs[i], ids));
        }
        return cases;
    }

    public static string Show(byte[] b) => Encoding.UTF8.GetString(b).Replace("\n", "\\n").Replace("\t", "\\t");
}

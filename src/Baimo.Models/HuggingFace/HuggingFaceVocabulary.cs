using System.Text.Json;
using Baimo.Formats.Gguf;
using Baimo.Tokenizers;

namespace Baimo.Models.HuggingFace;

/// <summary>
/// The <c>tokenizer.ggml.*</c> metadata of a byte-level BPE <c>tokenizer.json</c> (Qwen2, Llama 3 and GPT-2
/// style), as llama.cpp's converter writes it: every id up to the model's vocabulary size (gaps become
/// unused <c>[PAD{id}]</c> tokens), token types, merges, pre-tokenizer name, special ids and add-BOS/EOS flags.
/// </summary>
public static class HuggingFaceVocabulary
{
    private const int Normal = 1, Control = 3, UserDefined = 4, Unused = 5;

    /// <summary>Our pre-tokenizer names → the names llama.cpp's loader recognises.</summary>
    private static readonly Dictionary<string, string> GgufPreNames = new(StringComparer.Ordinal)
    {
        ["qwen2"] = "qwen2",
        ["llama3"] = "llama-bpe",
        ["gpt-2"] = "gpt-2",
    };

    /// <summary>Adds the vocabulary of <paramref name="directory"/>'s tokenizer files to <paramref name="md"/>.</summary>
    /// <exception cref="ModelLoadException">The tokenizer is not a byte-level BPE Baimo can read, or its split pattern has no llama.cpp name.</exception>
    public static void AddTo(GgufMetadata md, string directory, int vocabSize)
    {
        var jsonPath = Path.Combine(directory, "tokenizer.json");
        var configPath = Path.Combine(directory, HuggingFaceMetadata.TokenizerConfigFileName);
        string pre;
        try
        {
            // Building the tokenizer checks that it is a byte-level BPE and identifies its split pattern.
            var tokenizer = Tokenizer.FromHuggingFace(jsonPath, File.Exists(configPath) ? configPath : null);
            if (!GgufPreNames.TryGetValue(tokenizer.PreTokenizerName, out pre!))
                throw new ModelLoadException($"{jsonPath}: the pre-tokenizer split pattern is not one llama.cpp names (known: Qwen2, Llama 3, GPT-2)");
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelLoadException($"cannot convert the tokenizer of {directory}: {e.Message} (remove tokenizer.json to convert the weights alone)");
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(jsonPath), new JsonDocumentOptions { MaxDepth = 256 });
        var root = doc.RootElement;
        var model = root.GetProperty("model");
        var byId = new Dictionary<int, string>();
        foreach (var p in model.GetProperty("vocab").EnumerateObject()) byId[p.Value.GetInt32()] = p.Name;
        var added = new Dictionary<int, bool>(); // id → special
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
            foreach (var a in addedTokens.EnumerateArray())
            {
                int id = a.GetProperty("id").GetInt32();
                byId[id] = a.GetProperty("content").GetString() ?? "";
                added[id] = a.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
            }
        int n = Math.Max(vocabSize, byId.Count == 0 ? 0 : byId.Keys.Max() + 1);
        var tokens = new string[n];
        var types = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!byId.TryGetValue(i, out var token)) { tokens[i] = $"[PAD{i}]"; types[i] = Unused; continue; }
            tokens[i] = token;
            types[i] = !added.TryGetValue(i, out bool special) ? Normal : special || LooksSpecial(token) ? Control : UserDefined;
        }
        var merges = new List<string>();
        foreach (var m in model.GetProperty("merges").EnumerateArray())
            merges.Add(m.ValueKind == JsonValueKind.Array ? $"{m[0].GetString()} {m[1].GetString()}" : m.GetString() ?? "");

        md.Set("tokenizer.ggml.model", "gpt2");
        md.Set("tokenizer.ggml.pre", pre);
        md.Set("tokenizer.ggml.tokens", tokens);
        md.Set("tokenizer.ggml.token_type", types);
        md.Set("tokenizer.ggml.merges", merges.ToArray());
        if (File.Exists(configPath)) AddSpecialTokens(md, configPath, byId);
    }

    // Added tokens not marked special that still act as control tokens, by their spelling (<|…|> and friends).
    private static bool LooksSpecial(string token) =>
        token is "<pad>" or "<mask>" || (token.StartsWith("<|", StringComparison.Ordinal) && token.EndsWith("|>", StringComparison.Ordinal));

    /// <summary>
    /// Special ids named in <c>tokenizer_config.json</c> take precedence over <c>config.json</c>'s ids (already in
    /// the metadata), as in llama.cpp's converter; an id the file does not name keeps the config's value.
    /// </summary>
    private static void AddSpecialTokens(GgufMetadata md, string configPath, Dictionary<int, string> byId)
    {
        var idOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, token) in byId) idOf.TryAdd(token, id);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(configPath));
        var cfg = doc.RootElement;
        foreach (var (key, gguf) in new[] { ("bos_token", "bos"), ("eos_token", "eos"), ("unk_token", "unknown"), ("sep_token", "seperator"), ("pad_token", "padding") })
        {
            if (!cfg.TryGetProperty(key, out var v)) continue;
            string? content = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Object when v.TryGetProperty("content", out var c) => c.GetString(),
                _ => null,
            };
            if (content is not null && idOf.TryGetValue(content, out int id)) md.Set($"tokenizer.ggml.{gguf}_token_id", (uint)id);
        }
        foreach (var key in new[] { "add_bos_token", "add_eos_token" })
            if (cfg.TryGetProperty(key, out var b) && b.ValueKind is JsonValueKind.True or JsonValueKind.False)
                md.Set($"tokenizer.ggml.{key}", b.GetBoolean());
    }
}

using System.Text.Json;
using Baimo.Tokenizers.PreTokenization;

namespace Baimo.Tokenizers;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> holding a byte-level BPE model. The split pattern of the pre-tokenizer
/// is run exactly as the GGUF pre-tokenizer with the same pattern (hand-written splitters for the GPT-2, Llama 3 and
/// Qwen2 patterns). Added tokens become control (special) or user-defined tokens, with their lstrip/rstrip flags.
/// </summary>
internal static class HuggingFaceTokenizerLoader
{
    private const string ByteLevelPattern = PreTokenizer.Gpt2PatternFull;

    public static Tokenizer Load(string tokenizerJsonPath, string? tokenizerConfigPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(tokenizerJsonPath), new JsonDocumentOptions { MaxDepth = 256 });
        JsonElement root = doc.RootElement;
        JsonElement model = root.GetProperty("model");
        string type = model.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "BPE";
        if (type != "BPE") throw new NotSupportedException($"unsupported tokenizer.json model type '{type}' in {tokenizerJsonPath}; supported: BPE (byte-level)");
        if (model.TryGetProperty("byte_fallback", out var bf) && bf.ValueKind == JsonValueKind.True)
            throw new NotSupportedException($"tokenizer.json with byte_fallback BPE (SentencePiece-style) is not supported: {tokenizerJsonPath}");

        if (root.TryGetProperty("normalizer", out var norm) && norm.ValueKind == JsonValueKind.Object)
        {
            string nt = norm.GetProperty("type").GetString() ?? "";
            // NFC is accepted (and not applied): the GGUF conversion of the same vocabulary does not normalize either.
            if (nt != "NFC") throw new NotSupportedException($"unsupported tokenizer.json normalizer '{nt}' in {tokenizerJsonPath}");
        }

        // vocabulary
        var byId = new Dictionary<int, string>();
        foreach (JsonProperty p in model.GetProperty("vocab").EnumerateObject()) byId[p.Value.GetInt32()] = p.Name;
        var types = new Dictionary<int, GgufTokenType>();
        var extra = new Dictionary<int, TokenAttributes>();
        var contentToId = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement a in added.EnumerateArray())
            {
                int id = a.GetProperty("id").GetInt32();
                string content = a.GetProperty("content").GetString() ?? "";
                byId[id] = content;
                contentToId[content] = id;
                bool special = a.TryGetProperty("special", out var sp) && sp.ValueKind == JsonValueKind.True;
                types[id] = special ? GgufTokenType.Control : GgufTokenType.UserDefined;
                TokenAttributes attrs = 0;
                if (a.TryGetProperty("lstrip", out var ls) && ls.ValueKind == JsonValueKind.True) attrs |= TokenAttributes.LeftStrip;
                if (a.TryGetProperty("rstrip", out var rs) && rs.ValueKind == JsonValueKind.True) attrs |= TokenAttributes.RightStrip;
                if (attrs != 0) extra[id] = attrs;
            }
        }
        int n = byId.Count == 0 ? 0 : byId.Keys.Max() + 1;
        var tokens = new string[n];
        var tokenTypes = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (byId.TryGetValue(i, out var s)) { tokens[i] = s; tokenTypes[i] = (int)(types.TryGetValue(i, out var tt) ? tt : GgufTokenType.Normal); }
            else { tokens[i] = "[PAD" + i + "]"; tokenTypes[i] = (int)GgufTokenType.Unused; }
        }

        var spec = new VocabSpec { Kind = TokenizerModelKind.BytePairEncoding, Tokens = tokens, TokenTypes = tokenTypes, ExtraAttributes = extra };
        spec.ApplyKindDefaults();
        spec.Bos = -1; spec.Eos = -1;
        spec.IgnoreMerges = model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True;

        foreach (JsonElement m in model.GetProperty("merges").EnumerateArray())
        {
            if (m.ValueKind == JsonValueKind.String)
            {
                string s = m.GetString()!;
                int pos = s.Length > 1 ? s.IndexOf(' ', 1) : -1;
                spec.Merges.Add(pos >= 0 ? (s[..pos], s[(pos + 1)..]) : ("", ""));
            }
            else if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2)
            {
                spec.Merges.Add((m[0].GetString() ?? "", m[1].GetString() ?? ""));
            }
            else throw new InvalidDataException($"unexpected merge entry in {tokenizerJsonPath}: {m.GetRawText()}");
        }

        // pre-tokenizer
        var patterns = new List<string>();
        if (root.TryGetProperty("pre_tokenizer", out var preTok) && preTok.ValueKind == JsonValueKind.Object)
            CollectPatterns(preTok, patterns, tokenizerJsonPath);
        if (patterns.Count == 0) throw new NotSupportedException($"tokenizer.json has no byte-level split pattern: {tokenizerJsonPath}");
        string preName = patterns.Count == 1
            ? patterns[0] switch
            {
                PreTokenizer.Llama3Pattern or PreTokenizer.Llama3PatternCaseInsensitive => "llama3",
                PreTokenizer.Qwen2Pattern or PreTokenizer.Qwen2PatternCaseInsensitive => "qwen2",
                PreTokenizer.Gpt2Pattern or PreTokenizer.Gpt2PatternFull => "gpt-2",
                _ => "custom",
            }
            : "custom";
        spec.Pre = preName;
        var pre = PreTokenizer.FromPatterns(preName, patterns);

        // BOS/EOS from the post-processor template
        if (root.TryGetProperty("post_processor", out var post) && post.ValueKind == JsonValueKind.Object)
            ReadTemplate(post, spec, contentToId);

        // tokenizer_config.json
        spec.CleanSpaces = false;
        if (tokenizerConfigPath is not null)
        {
            using var cfgDoc = JsonDocument.Parse(File.ReadAllBytes(tokenizerConfigPath));
            JsonElement cfg = cfgDoc.RootElement;
            int Tok(string key)
            {
                if (!cfg.TryGetProperty(key, out var v)) return -1;
                string? content = v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString(),
                    JsonValueKind.Object when v.TryGetProperty("content", out var c) => c.GetString(),
                    _ => null,
                };
                return content is not null && contentToId.TryGetValue(content, out int id) ? id : -1;
            }
            if (Tok("bos_token") is var bos and >= 0) spec.Bos = bos;
            if (Tok("eos_token") is var eos and >= 0) spec.Eos = eos;
            if (Tok("unk_token") is var unk and >= 0) spec.Unk = unk;
            if (Tok("pad_token") is var pad and >= 0) spec.Pad = pad;
            if (cfg.TryGetProperty("add_bos_token", out var ab) && ab.ValueKind is JsonValueKind.True or JsonValueKind.False) spec.AddBos = ab.GetBoolean();
            if (cfg.TryGetProperty("add_eos_token", out var ae) && ae.ValueKind is JsonValueKind.True or JsonValueKind.False) spec.AddEos = ae.GetBoolean();
            if (cfg.TryGetProperty("clean_up_tokenization_spaces", out var cu) && cu.ValueKind is JsonValueKind.True or JsonValueKind.False) spec.CleanSpaces = cu.GetBoolean();
        }
        if (spec.AddBos && spec.Bos < 0) spec.AddBos = false;
        if (spec.AddEos && spec.Eos < 0) spec.AddEos = false;

        return Tokenizer.Create(spec, pre);
    }

    private static void CollectPatterns(JsonElement node, List<string> patterns, string path)
    {
        string type = node.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement child in node.GetProperty("pretokenizers").EnumerateArray()) CollectPatterns(child, patterns, path);
                break;
            case "Split":
            {
                JsonElement pat = node.GetProperty("pattern");
                string? regex = pat.TryGetProperty("Regex", out var r) ? r.GetString() : null;
                if (regex is null) throw new NotSupportedException($"tokenizer.json Split with a string pattern is not supported: {path}");
                string behavior = node.TryGetProperty("behavior", out var b) ? b.GetString() ?? "" : "";
                bool invert = node.TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True;
                if (behavior != "Isolated" || invert)
                    throw new NotSupportedException($"tokenizer.json Split behavior '{behavior}'{(invert ? " (inverted)" : "")} is not supported: {path}");
                patterns.Add(regex);
                break;
            }
            case "ByteLevel":
            {
                bool useRegex = !node.TryGetProperty("use_regex", out var ur) || ur.ValueKind != JsonValueKind.False;
                if (node.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True)
                    throw new NotSupportedException($"tokenizer.json ByteLevel add_prefix_space is not supported: {path}");
                if (useRegex) patterns.Add(ByteLevelPattern);
                break;
            }
            default:
                throw new NotSupportedException($"unsupported tokenizer.json pre-tokenizer '{type}' in {path}");
        }
    }

    private static void ReadTemplate(JsonElement post, VocabSpec spec, Dictionary<string, int> contentToId)
    {
        string type = post.GetProperty("type").GetString() ?? "";
        if (type == "Sequence" && post.TryGetProperty("processors", out var procs))
        {
            foreach (JsonElement p in procs.EnumerateArray()) ReadTemplate(p, spec, contentToId);
            return;
        }
        if (type != "TemplateProcessing" || !post.TryGetProperty("single", out var single)) return;
        var items = single.EnumerateArray().ToList();
        int Special(JsonElement e) =>
            e.TryGetProperty("SpecialToken", out var st) && st.TryGetProperty("id", out var idEl) && idEl.GetString() is { } c && contentToId.TryGetValue(c, out int id) ? id : -1;
        if (items.Count > 0 && Special(items[0]) is var bos and >= 0) { spec.Bos = bos; spec.AddBos = true; }
        if (items.Count > 1 && Special(items[^1]) is var eos and >= 0) { spec.Eos = eos; spec.AddEos = true; }
    }
}

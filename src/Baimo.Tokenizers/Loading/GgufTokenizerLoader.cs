using System.Collections;
using Baimo.Tokenizers.PreTokenization;

namespace Baimo.Tokenizers;

/// <summary>Reads <c>tokenizer.ggml.*</c> metadata (plain .NET values) the way llama.cpp's vocabulary loader does.</summary>
internal static class GgufTokenizerLoader
{
    private const string Prefix = "tokenizer.ggml.";

    public static Tokenizer Load(IReadOnlyDictionary<string, object> md)
    {
        ArgumentNullException.ThrowIfNull(md);
        string model = GetString(md, Prefix + "model") ?? throw new InvalidDataException("GGUF metadata has no tokenizer.ggml.model");
        string? pre = GetString(md, Prefix + "pre");

        var spec = new VocabSpec
        {
            Kind = model switch
            {
                "llama" => TokenizerModelKind.SentencePiece,
                "gpt2" => TokenizerModelKind.BytePairEncoding,
                "bert" => TokenizerModelKind.WordPiece,
                _ => throw new NotSupportedException($"unsupported tokenizer model '{model}' (tokenizer.ggml.model); supported: llama, gpt2, bert"),
            },
            ModelName = GetString(md, "general.name") ?? "",
        };
        spec.ApplyKindDefaults();

        PreTokenizer? preTokenizer = null;
        if (spec.Kind == TokenizerModelKind.BytePairEncoding)
        {
            var settings = PreTokenizer.Lookup(pre)
                ?? throw new NotSupportedException($"unsupported pre-tokenizer '{pre}' (tokenizer.ggml.pre)");
            spec.Pre = settings.Canonical;
            spec.AddSpacePrefix = false;
            spec.CleanSpaces = settings.CleanSpaces;
            spec.IgnoreMerges = settings.IgnoreMerges;
            if (settings.AddBos) spec.AddBos = true;
            if (settings.ClearBos) spec.Bos = -1;
            preTokenizer = PreTokenizer.FromPatterns(settings.Canonical, settings.Patterns);

            object merges = md.GetValueOrDefault(Prefix + "merges") ?? throw new InvalidDataException("GGUF metadata has no tokenizer.ggml.merges");
            foreach (string m in AsStrings(merges, Prefix + "merges"))
            {
                int pos = m.Length > 1 ? m.IndexOf(' ', 1) : -1;
                spec.Merges.Add(pos >= 0 ? (m[..pos], m[(pos + 1)..]) : ("", ""));
            }
        }
        else
        {
            spec.Pre = "default";
        }

        if (GetBool(md, Prefix + "add_space_prefix") is bool asp) spec.AddSpacePrefix = asp;
        if (GetBool(md, Prefix + "remove_extra_whitespaces") is bool rew) spec.RemoveExtraWhitespaces = rew;

        object tokens = md.GetValueOrDefault(Prefix + "tokens") ?? throw new InvalidDataException("GGUF metadata has no tokenizer.ggml.tokens");
        spec.Tokens = AsStrings(tokens, Prefix + "tokens").ToArray();
        if (md.GetValueOrDefault(Prefix + "scores") is { } scores) spec.Scores = AsFloats(scores, Prefix + "scores");
        if (md.GetValueOrDefault(Prefix + "token_type") is { } types) spec.TokenTypes = AsInts(types, Prefix + "token_type");

        int n = spec.Tokens.Length;
        void Id(string key, ref int field)
        {
            if (!md.TryGetValue(Prefix + key, out object? v)) return;
            long id = ToInt64(v, Prefix + key);
            if (id >= 0 && id < n) field = (int)id; // out-of-range ids keep the default, as the reference does
        }
        Id("bos_token_id", ref spec.Bos);
        Id("eos_token_id", ref spec.Eos);
        Id("eot_token_id", ref spec.Eot);
        Id("eom_token_id", ref spec.Eom);
        Id("unknown_token_id", ref spec.Unk);
        Id("seperator_token_id", ref spec.Sep);
        Id("padding_token_id", ref spec.Pad);
        Id("mask_token_id", ref spec.Mask);
        Id("fim_pre_token_id", ref spec.FimPre);
        Id("fim_suf_token_id", ref spec.FimSuf);
        Id("fim_mid_token_id", ref spec.FimMid);
        Id("fim_pad_token_id", ref spec.FimPad);
        Id("fim_rep_token_id", ref spec.FimRep);
        Id("fim_sep_token_id", ref spec.FimSep);
        Id("prefix_token_id", ref spec.FimPre);
        Id("suffix_token_id", ref spec.FimSuf);
        Id("middle_token_id", ref spec.FimMid);

        if (GetBool(md, Prefix + "add_bos_token") is bool addBos) spec.AddBos = addBos;
        if (GetBool(md, Prefix + "add_eos_token") is bool addEos) spec.AddEos = addEos;

        return Tokenizer.Create(spec, preTokenizer);
    }

    private static string? GetString(IReadOnlyDictionary<string, object> md, string key) =>
        md.TryGetValue(key, out object? v) ? v as string ?? throw new InvalidDataException($"{key}: expected a string, found {v?.GetType().Name}") : null;

    private static bool? GetBool(IReadOnlyDictionary<string, object> md, string key)
    {
        if (!md.TryGetValue(key, out object? v)) return null;
        return v switch
        {
            bool b => b,
            byte or sbyte or short or ushort or int or uint or long or ulong => ToInt64(v, key) != 0,
            _ => throw new InvalidDataException($"{key}: expected a bool, found {v?.GetType().Name}"),
        };
    }

    internal static long ToInt64(object? v, string key) => v switch
    {
        byte x => x,
        sbyte x => x,
        short x => x,
        ushort x => x,
        int x => x,
        uint x => x,
        long x => x,
        ulong x => x > long.MaxValue ? -1 : (long)x,
        _ => throw new InvalidDataException($"{key}: expected an integer, found {v?.GetType().Name}"),
    };

    private static IEnumerable<string> AsStrings(object v, string key) => v switch
    {
        string[] s => s,
        IEnumerable e when v is not string => e.Cast<object?>().Select(x => x as string ?? throw new InvalidDataException($"{key}: expected strings")),
        _ => throw new InvalidDataException($"{key}: expected a string array, found {v.GetType().Name}"),
    };

    private static float[] AsFloats(object v, string key) => v switch
    {
        float[] f => f,
        double[] d => Array.ConvertAll(d, x => (float)x),
        IEnumerable e when v is not string => e.Cast<object?>().Select(x => x switch
        {
            float f => f,
            double d => (float)d,
            _ => (float)ToInt64(x, key),
        }).ToArray(),
        _ => throw new InvalidDataException($"{key}: expected a float array, found {v.GetType().Name}"),
    };

    private static int[] AsInts(object v, string key) => v switch
    {
        int[] i => i,
        IEnumerable e when v is not string => e.Cast<object?>().Select(x => (int)ToInt64(x, key)).ToArray(),
        _ => throw new InvalidDataException($"{key}: expected an integer array, found {v.GetType().Name}"),
    };
}

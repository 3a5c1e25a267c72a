using System.Text;
using System.Text.RegularExpressions;
using Baimo.Tokenizers.Unicode;

namespace Baimo.Tokenizers.PreTokenization;

/// <summary>
/// Views of one text fragment that regex stages run on: the code points themselves, a "collapsed" string (one char
/// per code point, categories replaced by marker chars) and a "wide" string (UTF-16, non-ASCII whitespace → \v).
/// </summary>
internal sealed class FragmentViews
{
    public int[] Cpts = new int[64];
    public int Count;
    private string? _collapsed;
    private string? _wide;
    private int[]? _wideCharIndex; // cp index → char index (null when identical)
    private int[]? _wideCpIndex;   // char index → cp index

    public ReadOnlySpan<int> Span => Cpts.AsSpan(0, Count);

    /// <summary>Decodes UTF-8 (leniently, as <see cref="Cpt.DecodeUtf8(ReadOnlySpan{byte}, ref int)"/>) into the view.</summary>
    public void Load(ReadOnlySpan<byte> utf8)
    {
        if (Cpts.Length < utf8.Length) Cpts = new int[Math.Max(utf8.Length, Cpts.Length * 2)];
        int count = 0, offset = 0;
        int[] cpts = Cpts;
        while (offset < utf8.Length) cpts[count++] = Cpt.DecodeUtf8(utf8, ref offset);
        Count = count;
        _collapsed = null; _wide = null; _wideCharIndex = null; _wideCpIndex = null;
    }

    public string Collapsed
    {
        get
        {
            if (_collapsed is null)
            {
                _collapsed = string.Create(Count, Cpts, static (span, cpts) =>
                {
                    for (int i = 0; i < span.Length; i++) span[i] = Cpt.Collapse(cpts[i]);
                });
            }
            return _collapsed;
        }
    }

    public string Wide
    {
        get
        {
            if (_wide is null)
            {
                var sb = new StringBuilder(Count);
                bool supplementary = false;
                for (int i = 0; i < Count; i++)
                {
                    int cp = Cpts[i];
                    if (cp > 0x7F && Cpt.IsWhitespace(cp)) sb.Append('\v');
                    else if (cp < 0x10000) sb.Append((char)cp);
                    else { supplementary = true; sb.Append(char.ConvertFromUtf32(cp)); }
                }
                _wide = sb.ToString();
                if (supplementary)
                {
                    _wideCharIndex = new int[Count + 1];
                    _wideCpIndex = new int[_wide.Length + 1];
                    int c = 0;
                    for (int i = 0; i < Count; i++)
                    {
                        _wideCharIndex[i] = c;
                        _wideCpIndex[c] = i;
                        if (Cpts[i] >= 0x10000) { _wideCpIndex[c + 1] = i; c += 2; }
                        else c += 1;
                    }
                    _wideCharIndex[Count] = c;
                    _wideCpIndex[c] = Count;
                }
            }
            return _wide;
        }
    }

    public int WideCharIndex(int cpIndex) { _ = Wide; return _wideCharIndex is null ? cpIndex : _wideCharIndex[cpIndex]; }
    public int WideCpIndex(int charIndex) { _ = Wide; return _wideCpIndex is null ? charIndex : _wideCpIndex[charIndex]; }
}

/// <summary>One splitting pass: cuts a region of code points into pieces (lengths appended to the output).</summary>
internal abstract class SplitStage
{
    public abstract void SplitRegion(FragmentViews views, int start, int length, List<int> output);
}

/// <summary>A sequence of splitting passes; each pass refines the pieces of the previous one.</summary>
internal sealed class PreTokenizer
{
    private readonly SplitStage[] _stages;

    public string Name { get; }

    public PreTokenizer(string name, SplitStage[] stages)
    {
        Name = name;
        _stages = stages;
    }

    /// <summary>Splits the fragment into words; <paramref name="words"/> receives word lengths in code points.</summary>
    public void Split(FragmentViews views, List<int> words, List<int> scratch)
    {
        words.Clear();
        words.Add(views.Count);
        foreach (var stage in _stages)
        {
            scratch.Clear();
            int start = 0;
            foreach (int len in words)
            {
                stage.SplitRegion(views, start, len, scratch);
                start += len;
            }
            words.Clear();
            words.AddRange(scratch);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Patterns (as the upstream tokenizer.json files and the reference implementation spell them)

    internal const string Gpt2Pattern = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    internal const string Gpt2PatternFull = Gpt2Pattern + "|\\s+";
    internal const string Llama3Pattern = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    internal const string Llama3PatternCaseInsensitive = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    internal const string Qwen2Pattern = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    internal const string Qwen2PatternCaseInsensitive = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static readonly string[] s_default = ["[\\p{P}\\$\\+<=>\\^~\\|]+", Gpt2Pattern, "\\p{N}+", "[0-9][0-9][0-9]"];
    private static readonly string[] s_deepseekLlm =
    [
        "[\r\n]",
        "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
        "\\s?[!-/:-~！-／：-～‘-‟　-。]+",
        "\\s+$",
        "[一-龥ࠀ-一가-퟿]+",
        "\\p{N}+",
    ];
    private static readonly string[] s_deepseek3 =
    [
        "\\p{N}{1,3}",
        "[一-龥぀-ゟ゠-ヿ]+",
        "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
    ];
    private static readonly string[] s_deepseekCoder = ["[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[一-龥ࠀ-一가-퟿]+", "\\p{N}"];
    private static readonly string[] s_falcon = ["[\\p{P}\\$\\+<=>\\^~\\|`]+", Gpt2Pattern, "[0-9][0-9][0-9]"];
    private static readonly string[] s_starcoder = ["\\p{N}", Gpt2Pattern];
    private static readonly string[] s_gpt2 = [Gpt2Pattern];
    private static readonly string[] s_llama3 = [Llama3Pattern];
    private static readonly string[] s_qwen2 = [Qwen2Pattern];
    private static readonly string[] s_poro = [" ?[^(\\s|.,!?…。，、।۔،)]+"];
    private static readonly string[] s_viking = [" ?[^(\\s|.,!?…。，、।۔،)]+", "\\p{N}"];
    private static readonly string[] s_tekken =
    [
        "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    ];
    private static readonly string[] s_chameleon =
    [
        "<sentinel:[0-9]+>",
        "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z",
        "([\\t\\n]|    |  )",
        "\\p{N}",
        "[\\p{P}!-/:-@\\[-`{-~]",
        Gpt2Pattern,
    ];

    /// <summary>Settings the reference attaches to a GGUF <c>tokenizer.ggml.pre</c> value.</summary>
    internal readonly record struct PreSettings(string Canonical, string[] Patterns, bool IgnoreMerges, bool AddBos, bool CleanSpaces, bool ClearBos);

    /// <summary>Looks up a GGUF pre-tokenizer name; null when unknown.</summary>
    internal static PreSettings? Lookup(string? pre)
    {
        switch (pre)
        {
            case null or "" or "default": return new("default", s_default, false, false, true, false);
            case "llama3" or "llama-v3" or "llama-bpe" or "falcon3": return new("llama3", s_llama3, true, true, true, false);
            case "dbrx": return new("dbrx", s_llama3, false, false, true, false);
            case "smaug-bpe": return new("smaug", s_llama3, false, false, true, false);
            case "deepseek-llm": return new("deepseek-llm", s_deepseekLlm, false, false, false, false);
            case "deepseek-coder": return new("deepseek-coder", s_deepseekCoder, false, false, false, false);
            case "deepseek-v3": return new("deepseek-v3", s_deepseek3, false, false, false, false);
            case "falcon": return new("falcon", s_falcon, false, false, true, false);
            case "mpt": return new("mpt", s_gpt2, false, false, true, false);
            case "starcoder": return new("starcoder", s_starcoder, false, false, true, false);
            case "gpt-2" or "phi-2" or "jina-es" or "jina-de" or "gigachat" or "jina-v1-en" or "jina-v2-es" or "jina-v2-de"
                or "jina-v2-code" or "roberta-bpe":
                return new("gpt-2", s_gpt2, false, false, true, false);
            case "refact": return new("refact", s_starcoder, false, false, true, false);
            case "command-r": return new("command-r", s_starcoder, false, false, false, false);
            case "qwen2" or "deepseek-r1-qwen": return new("qwen2", s_qwen2, false, false, false, false);
            case "stablelm2": return new("stablelm2", s_qwen2, false, false, true, false);
            case "olmo": return new("olmo", s_gpt2, false, false, true, false);
            case "poro-chat": return new("poro", s_poro, false, false, false, false);
            case "chatglm-bpe": return new("chatglm4", s_llama3, false, false, true, true);
            case "viking": return new("viking", s_viking, false, false, false, false);
            case "jais": return new("jais", s_gpt2, false, false, true, false);
            case "tekken": return new("tekken", s_tekken, true, true, false, false);
            case "smollm": return new("smollm", s_starcoder, false, false, false, false);
            case "codeshell": return new("codeshell", s_starcoder, false, false, true, false);
            case "bloom": return new("bloom", s_poro, false, false, true, false);
            case "gpt3-finnish": return new("gpt3-finnish", s_poro, false, false, true, false);
            case "exaone": return new("exaone", s_starcoder, false, false, true, false);
            case "chameleon": return new("chameleon", s_chameleon, false, true, false, false);
            case "minerva-7b": return new("minerva", s_starcoder, false, false, true, false);
            case "megrez": return new("megrez", s_qwen2, false, false, true, false);
            default: return null;
        }
    }

    /// <summary>Builds the pre-tokenizer for a list of reference-style patterns.</summary>
    internal static PreTokenizer FromPatterns(string name, IReadOnlyList<string> patterns)
    {
        var stages = new SplitStage[patterns.Count];
        for (int i = 0; i < patterns.Count; i++) stages[i] = CreateStage(patterns[i]);
        return new PreTokenizer(name, stages);
    }

    internal static SplitStage CreateStage(string pattern) => pattern switch
    {
        Gpt2Pattern or Gpt2PatternFull => new Gpt2Stage(),
        Llama3Pattern or Llama3PatternCaseInsensitive => new Llama3Stage(3),
        Qwen2Pattern or Qwen2PatternCaseInsensitive => new Llama3Stage(1),
        _ => RegexStage.Create(pattern),
    };
}

/// <summary>
/// Hand-written equivalent of <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>.
/// </summary>
internal sealed class Gpt2Stage : SplitStage
{
    public override void SplitRegion(FragmentViews views, int start, int length, List<int> output)
    {
        ReadOnlySpan<int> c = views.Span.Slice(start, length);
        int n = c.Length;
        int pos = 0;
        int prev = 0;

        void Emit(int end)
        {
            if (end > prev) output.Add(end - prev);
            prev = end;
        }

        byte F(ReadOnlySpan<int> s, int i) => i < s.Length ? Cpt.Flags(s[i]) : (byte)0;

        while (pos < n)
        {
            int cp = c[pos];
            if (cp == '\'' && pos + 1 < n)
            {
                int c1 = c[pos + 1];
                if (c1 is 's' or 't' or 'm' or 'd') { Emit(pos + 2); pos += 2; continue; }
                if (pos + 2 < n)
                {
                    int c2 = c[pos + 2];
                    if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) { Emit(pos + 3); pos += 3; continue; }
                }
            }

            int lead = cp == ' ' ? pos + 1 : pos;
            byte f2 = F(c, lead);
            if ((f2 & Cpt.Letter) != 0)
            {
                pos = lead + 1;
                while ((F(c, pos) & Cpt.Letter) != 0) pos++;
                Emit(pos);
                continue;
            }
            if ((f2 & Cpt.Number) != 0)
            {
                pos = lead + 1;
                while ((F(c, pos) & Cpt.Number) != 0) pos++;
                Emit(pos);
                continue;
            }
            if (lead < n && (f2 & (Cpt.Whitespace | Cpt.Letter | Cpt.Number)) == 0)
            {
                pos = lead + 1;
                while (pos < n && (F(c, pos) & (Cpt.Whitespace | Cpt.Letter | Cpt.Number)) == 0) pos++;
                Emit(pos);
                continue;
            }

            int ws = 0;
            while ((F(c, pos + ws) & Cpt.Whitespace) != 0) ws++;
            if (ws > 1 && pos + ws < n)
            {
                pos += ws - 1; // \s+(?!\S): leave the last whitespace for the next word
                Emit(pos);
                continue;
            }
            if (ws > 0)
            {
                pos += ws;
                Emit(pos);
                continue;
            }
            pos++;
            Emit(pos);
        }
    }
}

/// <summary>
/// Hand-written equivalent of the Llama 3 pattern
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,K}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>
/// (K = 3 for Llama 3, 1 for Qwen2).
/// </summary>
internal sealed class Llama3Stage(int maxDigits) : SplitStage
{
    public override void SplitRegion(FragmentViews views, int start, int length, List<int> output)
    {
        ReadOnlySpan<int> c = views.Span.Slice(start, length);
        int n = c.Length;
        int pos = 0;
        int prev = 0;

        void Emit(int end)
        {
            if (end > prev) output.Add(end - prev);
            prev = end;
        }

        byte F(ReadOnlySpan<int> s, int i) => i < s.Length ? Cpt.Flags(s[i]) : (byte)0;
        int C(ReadOnlySpan<int> s, int i) => i < s.Length ? s[i] : -1;

        while (pos < n)
        {
            int cp = c[pos];
            byte f = Cpt.Flags(cp);

            if (cp == '\'' && pos + 1 < n)
            {
                int c1 = Cpt.ToLower(c[pos + 1]);
                if (c1 is 's' or 't' or 'm' or 'd') { Emit(pos + 2); pos += 2; continue; }
                if (pos + 2 < n)
                {
                    int c2 = Cpt.ToLower(c[pos + 2]);
                    if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) { Emit(pos + 3); pos += 3; continue; }
                }
            }

            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (cp != '\r' && cp != '\n' && (f & Cpt.Number) == 0)
            {
                if ((f & Cpt.Letter) != 0 || (F(c, pos + 1) & Cpt.Letter) != 0)
                {
                    pos++;
                    while ((F(c, pos) & Cpt.Letter) != 0) pos++;
                    Emit(pos);
                    continue;
                }
            }

            // \p{N}{1,K}
            if ((f & Cpt.Number) != 0)
            {
                int ini = pos;
                while ((F(c, pos) & Cpt.Number) != 0)
                {
                    pos++;
                    if (pos - ini >= maxDigits) { Emit(pos); ini = pos; }
                }
                Emit(pos);
                continue;
            }

            // <space>?[^\s\p{L}\p{N}]+[\r\n]*
            byte f2 = cp == ' ' ? F(c, pos + 1) : f;
            if ((f2 & (Cpt.Whitespace | Cpt.Letter | Cpt.Number)) == 0 && (cp != ' ' || pos + 1 < n))
            {
                if (cp == ' ') pos++;
                pos++;
                while (pos < n && (F(c, pos) & (Cpt.Whitespace | Cpt.Letter | Cpt.Number)) == 0) pos++;
                while (C(c, pos) is '\r' or '\n') pos++;
                Emit(pos);
                continue;
            }

            int ws = 0;
            int lastRn = 0;
            while ((F(c, pos + ws) & Cpt.Whitespace) != 0)
            {
                int c2 = c[pos + ws];
                if (c2 is '\r' or '\n') lastRn = pos + ws + 1;
                ws++;
            }
            // \s*[\r\n]+
            if (lastRn > 0)
            {
                pos = lastRn;
                Emit(pos);
                continue;
            }
            // \s+(?!\S)
            if (ws > 1 && pos + ws < n)
            {
                pos += ws - 1;
                Emit(pos);
                continue;
            }
            if (ws > 0)
            {
                pos += ws;
                Emit(pos);
                continue;
            }
            pos++;
            Emit(pos);
        }
    }
}

/// <summary>A general pattern run with .NET regular expressions on a collapsed or wide view of the text.</summary>
internal sealed class RegexStage : SplitStage
{
    private readonly Regex _regex;
    private readonly bool _collapsed;

    private RegexStage(Regex regex, bool collapsed)
    {
        _regex = regex;
        _collapsed = collapsed;
    }

    private static readonly string[] s_categories = ["\\p{N}", "\\p{L}", "\\p{P}", "\\p{M}", "\\p{S}"];

    public static RegexStage Create(string pattern)
    {
        bool collapsed = false;
        foreach (string cat in s_categories) if (pattern.Contains(cat, StringComparison.Ordinal)) collapsed = true;
        string translated = collapsed ? RegexTranslation.Collapse(pattern) : RegexTranslation.Wide(pattern);
        translated = RegexTranslation.EndAnchors(translated);
        var regex = new Regex(translated, RegexOptions.CultureInvariant);
        return new RegexStage(regex, collapsed);
    }

    public override void SplitRegion(FragmentViews views, int start, int length, List<int> output)
    {
        string text;
        int cs, ce;
        if (_collapsed)
        {
            text = views.Collapsed;
            cs = start; ce = start + length;
        }
        else
        {
            text = views.Wide;
            cs = views.WideCharIndex(start); ce = views.WideCharIndex(start + length);
        }
        int prevCp = start;
        for (Match m = _regex.Match(text, cs, ce - cs); m.Success; m = m.NextMatch())
        {
            if (m.Length == 0) continue;
            int ms = _collapsed ? m.Index : views.WideCpIndex(m.Index);
            int me = _collapsed ? m.Index + m.Length : views.WideCpIndex(m.Index + m.Length);
            if (ms > prevCp) output.Add(ms - prevCp);
            if (me > ms) output.Add(me - ms);
            prevCp = Math.Max(prevCp, me);
        }
        if (prevCp < start + length) output.Add(start + length - prevCp);
    }
}

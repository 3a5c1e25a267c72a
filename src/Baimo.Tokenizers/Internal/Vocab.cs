using System.Text;
using Baimo.Tokenizers.Unicode;

namespace Baimo.Tokenizers;

/// <summary>Everything a loader knows about a vocabulary, before the derived tables are built.</summary>
internal sealed class VocabSpec
{
    public TokenizerModelKind Kind;
    public string Pre = "default";
    public string ModelName = "";
    public string[] Tokens = [];
    public float[]? Scores;
    public int[]? TokenTypes;
    /// <summary>Merge pairs in rank order (BPE only).</summary>
    public List<(string Left, string Right)> Merges = [];

    public int Bos = -1, Eos = -1, Eot = -1, Eom = -1, Unk = -1, Sep = -1, Pad = -1, Mask = -1;
    public int FimPre = -1, FimSuf = -1, FimMid = -1, FimPad = -1, FimRep = -1, FimSep = -1;

    public bool AddSpacePrefix, AddBos, AddEos, IgnoreMerges, CleanSpaces, RemoveExtraWhitespaces;
    public bool EscapeWhitespaces = true;

    /// <summary>Extra attributes to OR into tokens (e.g. lstrip/rstrip from tokenizer.json added tokens).</summary>
    public Dictionary<int, TokenAttributes> ExtraAttributes = [];

    /// <summary>Applies the per-kind defaults of the reference loader (special ids and flags).</summary>
    public void ApplyKindDefaults()
    {
        switch (Kind)
        {
            case TokenizerModelKind.SentencePiece:
                Bos = 1; Eos = 2; Unk = 0; Sep = -1; Pad = -1; Mask = -1;
                AddSpacePrefix = true; CleanSpaces = false; AddBos = true; AddEos = false;
                break;
            case TokenizerModelKind.WordPiece:
                Bos = 101; Eos = -1; Unk = 100; Sep = 102; Pad = 0; Mask = 103;
                AddSpacePrefix = false; CleanSpaces = true; AddBos = true; AddEos = false;
                break;
            case TokenizerModelKind.BytePairEncoding:
                Bos = 11; Eos = 11; Unk = -1; Sep = -1; Pad = -1; Mask = -1;
                AddSpacePrefix = false; CleanSpaces = true; AddBos = false; AddEos = false;
                break;
        }
    }
}

/// <summary>The vocabulary with all derived tables (immutable after construction, thread-safe to read).</summary>
internal sealed class Vocab
{
    public readonly TokenizerModelKind Kind;
    public readonly string Pre;
    public readonly byte[][] Texts;
    public readonly float[] Scores;
    public readonly TokenAttributes[] Attrs;
    public readonly TokenMap Map;
    public readonly int MaxTokenLength;

    public readonly int Bos, Eos, Eot, Eom, Unk, Sep, Pad, Mask;
    public readonly int FimPre, FimSuf, FimMid, FimPad, FimRep, FimSep;
    public readonly int Linefeed;
    public readonly bool AddSpacePrefix, AddBos, AddEos, IgnoreMerges, CleanSpaces;
    public readonly HashSet<int> Eog = [];

    /// <summary>Control, user-defined and unknown tokens, longest text first.</summary>
    public readonly int[] SpecialTokens;

    private readonly byte[] _pieceBlob;
    private readonly int[] _pieceOffsets;

    /// <summary>Byte → token id (<c>&lt;0xXX&gt;</c> for SPM, the byte-level character for BPE), -1 if absent.</summary>
    public readonly int[] ByteTokens = new int[256];

    public int Count => Texts.Length;

    public Vocab(VocabSpec spec)
    {
        Kind = spec.Kind;
        Pre = spec.Pre;
        int n = spec.Tokens.Length;
        if (n == 0) throw new InvalidDataException("tokenizer has no tokens");
        Texts = new byte[n][];
        Scores = new float[n];
        Attrs = new TokenAttributes[n];
        Map = new TokenMap(n);
        for (int i = 0; i < n; i++)
        {
            string word = spec.Tokens[i];
            if (string.IsNullOrEmpty(word)) word = "[EMPTY_" + i + "]";
            byte[] bytes = Encoding.UTF8.GetBytes(word);
            Texts[i] = bytes;
            Map.Set(bytes, i);
            MaxTokenLength = Math.Max(MaxTokenLength, bytes.Length);
            Scores[i] = spec.Scores is { } s && i < s.Length ? s[i] : 0f;
            Attrs[i] = spec.TokenTypes is { } t && i < t.Length
                ? (GgufTokenType)t[i] switch
                {
                    GgufTokenType.Unknown => TokenAttributes.Unknown,
                    GgufTokenType.Unused => TokenAttributes.Unused,
                    GgufTokenType.Normal => TokenAttributes.Normal,
                    GgufTokenType.Control => TokenAttributes.Control,
                    GgufTokenType.UserDefined => TokenAttributes.UserDefined,
                    GgufTokenType.Byte => TokenAttributes.Byte,
                    _ => TokenAttributes.Undefined,
                }
                : TokenAttributes.Normal;
        }

        AddSpacePrefix = spec.AddSpacePrefix; AddBos = spec.AddBos; AddEos = spec.AddEos;
        IgnoreMerges = spec.IgnoreMerges; CleanSpaces = spec.CleanSpaces;

        int Valid(int id) => id >= 0 && id < n ? id : -1;
        Bos = Valid(spec.Bos); Eos = Valid(spec.Eos); Unk = Valid(spec.Unk); Sep = Valid(spec.Sep);
        Pad = Valid(spec.Pad); Mask = Valid(spec.Mask);
        int eot = Valid(spec.Eot), eom = Valid(spec.Eom);
        int fimPre = Valid(spec.FimPre), fimSuf = Valid(spec.FimSuf), fimMid = Valid(spec.FimMid);
        int fimPad = Valid(spec.FimPad), fimRep = Valid(spec.FimRep), fimSep = Valid(spec.FimSep);

        // byte tokens
        for (int b = 0; b < 256; b++) ByteTokens[b] = FindByteToken((byte)b);

        // auto-detect special tokens by their text (first listed text present wins)
        eot = Detect(eot, "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "<｜end▁of▁sentence｜>");
        eom = Detect(eom, "<|eom_id|>");
        fimPre = Detect(fimPre, "<|fim_prefix|>", "<fim-prefix>", "<｜fim▁begin｜>", "<PRE>");
        fimSuf = Detect(fimSuf, "<|fim_suffix|>", "<fim-suffix>", "<｜fim▁hole｜>", "<SUF>");
        fimMid = Detect(fimMid, "<|fim_middle|>", "<fim-middle>", "<｜fim▁end｜>", "<MID>");
        fimPad = Detect(fimPad, "<|fim_pad|>", "<fim-pad>", "<PAD>");
        fimRep = Detect(fimRep, "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>");
        fimSep = Detect(fimSep, "<|file_sep|>");
        Eot = eot; Eom = eom; FimPre = fimPre; FimSuf = fimSuf; FimMid = fimMid; FimPad = fimPad; FimRep = fimRep; FimSep = fimSep;

        // end-of-generation set
        foreach (int id in (ReadOnlySpan<int>)[fimPad, fimRep, fimSep]) if (id >= 0) Eog.Add(id);
        foreach (string t in (ReadOnlySpan<string>)["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>"])
        {
            int id = Map.Find(Encoding.UTF8.GetBytes(t));
            if (id >= 0) { Eog.Add(id); Attrs[id] |= TokenAttributes.Control; }
        }
        foreach (int id in (ReadOnlySpan<int>)[Eos, Eot, Eom]) if (id >= 0) Eog.Add(id);

        // special token cache: longest text first (ties by id)
        var specials = new List<int>();
        for (int i = 0; i < n; i++)
            if ((Attrs[i] & (TokenAttributes.Control | TokenAttributes.UserDefined | TokenAttributes.Unknown)) != 0) specials.Add(i);
        specials.Sort((a, b) => Texts[a].Length != Texts[b].Length ? Texts[b].Length.CompareTo(Texts[a].Length) : a.CompareTo(b));
        SpecialTokens = specials.ToArray();

        // piece cache (special = true)
        _pieceOffsets = new int[n + 1];
        var blob = new ByteBuffer(n * 8);
        for (int i = 0; i < n; i++)
        {
            _pieceOffsets[i] = blob.Length;
            AppendPiece(i, blob);
        }
        _pieceOffsets[n] = blob.Length;
        _pieceBlob = blob.Span.ToArray();

        // per-token attributes the reference sets by model / pre-tokenizer name
        string name = spec.ModelName.ToLowerInvariant();
        if (spec.Pre.Contains("jina-v2-de") || spec.Pre.Contains("jina-v2-es") || spec.Pre.Contains("jina-v2-code"))
        {
            SetAttr("<mask>", TokenAttributes.LeftStrip, true);
        }
        else if (name.Contains("phi-3") || name.Contains("phi3"))
        {
            foreach (int id in SpecialTokens) Attrs[id] |= TokenAttributes.RightStrip;
            SetAttr("</s>", TokenAttributes.RightStrip, true);
            foreach (string t in (ReadOnlySpan<string>)["<unk>", "<s>", "<|endoftext|>"]) SetAttr(t, TokenAttributes.RightStrip, false);
        }
        foreach (var (id, a) in spec.ExtraAttributes) if (id >= 0 && id < n) Attrs[id] |= a;

        // newline token
        Linefeed = Kind switch
        {
            TokenizerModelKind.SentencePiece => ByteTokens['\n'] >= 0 ? ByteTokens['\n'] : Pad,
            TokenizerModelKind.WordPiece => Pad,
            _ => -2, // computed lazily by the tokenizer (needs the pre-tokenizer)
        };
    }

    private int Detect(int current, params string[] texts)
    {
        if (current >= 0) return current;
        foreach (string t in texts)
        {
            int id = Map.Find(Encoding.UTF8.GetBytes(t));
            if (id >= 0)
            {
                Attrs[id] |= TokenAttributes.Control;
                return id;
            }
        }
        return -1;
    }

    private void SetAttr(string text, TokenAttributes attr, bool value)
    {
        int id = Map.Find(Encoding.UTF8.GetBytes(text));
        if (id < 0) return;
        Attrs[id] = value ? Attrs[id] | attr : Attrs[id] & ~attr;
    }

    private int FindByteToken(byte b)
    {
        switch (Kind)
        {
            case TokenizerModelKind.SentencePiece:
            {
                ReadOnlySpan<byte> hex = "0123456789ABCDEF"u8;
                Span<byte> buf = [(byte)'<', (byte)'0', (byte)'x', hex[b >> 4], hex[b & 15], (byte)'>'];
                int id = Map.Find(buf);
                return id >= 0 ? id : Map.Find([b]);
            }
            default:
            {
                Span<byte> buf = stackalloc byte[2];
                int len = Cpt.EncodeUtf8(ByteLevel.ByteToChar[b], buf);
                return Map.Find(buf[..len]);
            }
        }
    }

    /// <summary>Piece of a token as the reference renders it with special = true.</summary>
    private void AppendPiece(int id, ByteBuffer dst)
    {
        TokenAttributes attr = Attrs[id];
        byte[] text = Texts[id];
        const TokenAttributes verbatim = TokenAttributes.Unknown | TokenAttributes.Control | TokenAttributes.UserDefined;
        switch (Kind)
        {
            case TokenizerModelKind.SentencePiece:
            case TokenizerModelKind.WordPiece:
                if ((attr & verbatim) != 0) { dst.Append(text); return; }
                if ((attr & TokenAttributes.Normal) != 0)
                {
                    // ▁ (E2 96 81) → space
                    ReadOnlySpan<byte> t = text;
                    for (int i = 0; i < t.Length; i++)
                    {
                        if (t[i] == 0xE2 && i + 2 < t.Length && t[i + 1] == 0x96 && t[i + 2] == 0x81) { dst.Append((byte)' '); i += 2; }
                        else dst.Append(t[i]);
                    }
                    return;
                }
                if ((attr & TokenAttributes.Byte) != 0)
                {
                    if (text.Length >= 5 && TryParseHexByte(text.AsSpan(3, 2), out byte v)) dst.Append(v);
                    return;
                }
                return;
            case TokenizerModelKind.BytePairEncoding:
                if ((attr & verbatim) != 0) { dst.Append(text); return; }
                if ((attr & TokenAttributes.Normal) != 0) ByteLevel.DecodeText(text, dst);
                return;
        }
    }

    private static bool TryParseHexByte(ReadOnlySpan<byte> s, out byte value)
    {
        static int H(byte c) => c switch
        {
            >= (byte)'0' and <= (byte)'9' => c - '0',
            >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
            _ => -1,
        };
        int hi = H(s[0]), lo = H(s[1]);
        // strtol stops at the first non-hex digit
        if (hi < 0) { value = 0; return true; }
        value = lo < 0 ? (byte)hi : (byte)(hi * 16 + lo);
        return true;
    }

    /// <summary>The cached piece (special = true rendering).</summary>
    public ReadOnlySpan<byte> Piece(int id) => _pieceBlob.AsSpan(_pieceOffsets[id], _pieceOffsets[id + 1] - _pieceOffsets[id]);
}

using System.Text;
using Baimo.Tokenizers.Models;
using Baimo.Tokenizers.PreTokenization;
using Baimo.Tokenizers.Unicode;

namespace Baimo.Tokenizers;

/// <summary>
/// Text ⇄ token ids for SentencePiece-style (GGUF <c>llama</c>), byte-level BPE (<c>gpt2</c>) and WordPiece
/// (<c>bert</c>) vocabularies, matching llama.cpp's tokenizer. Instances are immutable and thread-safe.
/// </summary>
public sealed class Tokenizer
{
    private readonly Vocab _vocab;
    private readonly SpmModel? _spm;
    private readonly BpeModel? _bpe;
    private readonly PreTokenizer? _pre;
    private readonly WordPieceModel? _wpm;
    private int _newline = -2;

    private Tokenizer(Vocab vocab, List<(string, string)>? merges, PreTokenizer? pre)
    {
        _vocab = vocab;
        switch (vocab.Kind)
        {
            case TokenizerModelKind.SentencePiece: _spm = new SpmModel(vocab); break;
            case TokenizerModelKind.WordPiece: _wpm = new WordPieceModel(vocab); break;
            case TokenizerModelKind.BytePairEncoding:
                _bpe = new BpeModel(vocab, merges ?? []);
                _pre = pre ?? throw new ArgumentNullException(nameof(pre));
                break;
        }
    }

    internal static Tokenizer Create(VocabSpec spec, PreTokenizer? pre) => new(new Vocab(spec), spec.Merges, pre);

    /// <summary>Builds a tokenizer from GGUF metadata (<c>tokenizer.ggml.*</c> keys) given as plain .NET values.</summary>
    public static Tokenizer FromGgufMetadata(IReadOnlyDictionary<string, object> metadata) => GgufTokenizerLoader.Load(metadata);

    /// <summary>Builds a tokenizer from a Hugging Face <c>tokenizer.json</c> (byte-level BPE) and optional <c>tokenizer_config.json</c>.</summary>
    public static Tokenizer FromHuggingFace(string tokenizerJsonPath, string? tokenizerConfigPath = null) =>
        HuggingFaceTokenizerLoader.Load(tokenizerJsonPath, tokenizerConfigPath);

    // ------------------------------------------------------------------------------------------------
    // Properties

    public TokenizerModelKind Kind => _vocab.Kind;

    /// <summary>Pre-tokenizer name (BPE), e.g. <c>llama3</c>, <c>qwen2</c>, <c>gpt-2</c>; <c>default</c> otherwise.</summary>
    public string PreTokenizerName => _pre?.Name ?? "default";

    public int VocabSize => _vocab.Count;

    /// <summary>Begin-of-sequence id ([CLS] for WordPiece), -1 if none.</summary>
    public int BosId => _vocab.Bos;
    public int EosId => _vocab.Eos;
    public int EotId => _vocab.Eot;
    public int EomId => _vocab.Eom;
    public int UnknownId => _vocab.Unk;
    public int SeparatorId => _vocab.Sep;
    public int PaddingId => _vocab.Pad;
    public int MaskId => _vocab.Mask;
    public int FimPrefixId => _vocab.FimPre;
    public int FimSuffixId => _vocab.FimSuf;
    public int FimMiddleId => _vocab.FimMid;

    /// <summary>Token for a line feed.</summary>
    public int NewlineId
    {
        get
        {
            if (_newline == -2)
            {
                if (_vocab.Linefeed != -2) _newline = _vocab.Linefeed;
                else
                {
                    var ids = Encode("\n", addSpecial: false, parseSpecial: false);
                    _newline = ids.Length > 0 ? ids[0] : _vocab.Pad;
                }
            }
            return _newline;
        }
    }

    /// <summary>Whether <see cref="Encode(string, bool, bool)"/> with addSpecial prepends BOS / appends EOS.</summary>
    public bool AddBos => _vocab.AddBos;
    public bool AddEos => _vocab.AddEos;
    public bool AddSpacePrefix => _vocab.AddSpacePrefix;

    /// <summary>Whether decoding applies the clean-up of spaces before punctuation (clean_up_tokenization_spaces).</summary>
    public bool CleanSpaces => _vocab.CleanSpaces;

    /// <summary>Ids that end generation (EOS, EOT, EOM and end-like control tokens).</summary>
    public IReadOnlyCollection<int> EndOfGenerationIds => _vocab.Eog;

    public bool IsEndOfGeneration(int id) => _vocab.Eog.Contains(id);

    public TokenAttributes GetAttributes(int id) => _vocab.Attrs[CheckId(id)];

    /// <summary>True for control and unknown tokens (the ones decoding hides unless asked to render them).</summary>
    public bool IsControl(int id) => (GetAttributes(id) & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0;

    /// <summary>Stored text of a token (byte-level / ▁-escaped form, as in the vocabulary).</summary>
    public string GetTokenText(int id) => Encoding.UTF8.GetString(_vocab.Texts[CheckId(id)]);

    public float GetTokenScore(int id) => _vocab.Scores[CheckId(id)];

    /// <summary>Id of the token whose stored text is exactly <paramref name="text"/>, or -1.</summary>
    public int FindToken(string text) => _vocab.Map.Find(Encoding.UTF8.GetBytes(text));

    private int CheckId(int id)
    {
        if ((uint)id >= (uint)_vocab.Count) throw new ArgumentOutOfRangeException(nameof(id), id, $"token id outside the vocabulary (size {_vocab.Count})");
        return id;
    }

    // ------------------------------------------------------------------------------------------------
    // Encoding

    /// <summary>Tokenizes text. <paramref name="addSpecial"/> adds BOS/EOS (CLS/SEP) as the vocabulary asks;
    /// <paramref name="parseSpecial"/> turns the text of control tokens into those tokens.</summary>
    public int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        var output = new List<int>(text.Length / 3 + 4);
        Encode(text.AsSpan(), output, addSpecial, parseSpecial);
        return output.ToArray();
    }

    /// <summary>Tokenizes UTF-8 bytes (invalid sequences are treated as U+FFFD where the algorithm decodes).</summary>
    public int[] Encode(ReadOnlySpan<byte> utf8, bool addSpecial = true, bool parseSpecial = false)
    {
        var output = new List<int>(utf8.Length / 3 + 4);
        Encode(utf8, output, addSpecial, parseSpecial);
        return output.ToArray();
    }

    /// <summary>Tokenizes text, appending ids to <paramref name="output"/>. Lone surrogates become U+FFFD.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> output, bool addSpecial = true, bool parseSpecial = false)
    {
        var s = EncodeScratch.Get();
        ByteBuffer utf8 = s.Input;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        utf8.SetLength(max);
        int n = Encoding.UTF8.GetBytes(text, utf8.RawArray);
        utf8.SetLength(n);
        // Input buffer is not touched by the core, so it can be passed as a span.
        EncodeCore(utf8.RawArray.AsSpan(0, n), output, addSpecial, parseSpecial, s);
    }

    /// <summary>Tokenizes UTF-8 bytes, appending ids to <paramref name="output"/>.</summary>
    public void Encode(ReadOnlySpan<byte> utf8, List<int> output, bool addSpecial = true, bool parseSpecial = false) =>
        EncodeCore(utf8, output, addSpecial, parseSpecial, EncodeScratch.Get());

    /// <summary>
    /// Tokenizes into <paramref name="destination"/>. Returns the number of ids written, or the negated number
    /// required when the destination is too small (nothing is written then).
    /// </summary>
    public int Encode(ReadOnlySpan<char> text, Span<int> destination, bool addSpecial = true, bool parseSpecial = false)
    {
        var s = EncodeScratch.Get();
        s.Ids.Clear();
        Encode(text, s.Ids, addSpecial, parseSpecial);
        if (s.Ids.Count > destination.Length) return -s.Ids.Count;
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(s.Ids).CopyTo(destination);
        return s.Ids.Count;
    }

    /// <summary>Number of tokens <see cref="Encode(string, bool, bool)"/> would return.</summary>
    public int CountTokens(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        var s = EncodeScratch.Get();
        s.Ids.Clear();
        Encode(text.AsSpan(), s.Ids, addSpecial, parseSpecial);
        return s.Ids.Count;
    }

    private struct Fragment
    {
        public int Token;  // -1 for raw text
        public int Offset;
        public int Length;
    }

    private sealed class EncodeScratch
    {
        public readonly ByteBuffer Input = new(1024);
        public readonly ByteBuffer Text = new(1024);
        public readonly ByteBuffer Word = new(64);
        public readonly List<Fragment> Fragments = new(8);
        public readonly List<Fragment> FragmentsTmp = new(8);
        public readonly FragmentViews Views = new();
        public readonly List<int> Words = new(256);
        public readonly List<int> WordsTmp = new(256);
        public readonly List<int> Ids = new(256);

        [ThreadStatic] private static EncodeScratch? t_instance;
        public static EncodeScratch Get() => t_instance ??= new EncodeScratch();
    }

    private void EncodeCore(ReadOnlySpan<byte> text, List<int> output, bool addSpecial, bool parseSpecial, EncodeScratch s)
    {
        List<Fragment> frags = s.Fragments;
        Partition(text, parseSpecial, frags, s.FragmentsTmp);

        switch (_vocab.Kind)
        {
            case TokenizerModelKind.SentencePiece:
            {
                bool prevSpecial = true;
                if (addSpecial && _vocab.AddBos) output.Add(RequireId(_vocab.Bos, "BOS"));
                foreach (var f in frags)
                {
                    if (f.Token >= 0)
                    {
                        output.Add(f.Token);
                        prevSpecial = true;
                        continue;
                    }
                    ByteBuffer buf = s.Text;
                    buf.Clear();
                    if (_vocab.AddSpacePrefix && prevSpecial) buf.Append("\u2581"u8);
                    foreach (byte b in text.Slice(f.Offset, f.Length))
                    {
                        if (b == (byte)' ') buf.Append("\u2581"u8);
                        else buf.Append(b);
                    }
                    _spm!.Encode(buf.Span, output);
                    prevSpecial = false;
                }
                if (addSpecial && _vocab.AddEos) output.Add(RequireId(_vocab.Eos, "EOS"));
                break;
            }
            case TokenizerModelKind.BytePairEncoding:
            {
                if (addSpecial && _vocab.AddBos) output.Add(RequireId(_vocab.Bos, "BOS"));
                foreach (var f in frags)
                {
                    if (f.Token >= 0) output.Add(f.Token);
                    else EncodeBpeText(text.Slice(f.Offset, f.Length), output, s);
                }
                if (addSpecial && _vocab.AddEos) output.Add(RequireId(_vocab.Eos, "EOS"));
                break;
            }
            case TokenizerModelKind.WordPiece:
            {
                if (addSpecial) output.Add(RequireId(_vocab.Bos, "CLS/BOS"));
                foreach (var f in frags)
                {
                    if (f.Token >= 0) output.Add(f.Token);
                    else _wpm!.Encode(text.Slice(f.Offset, f.Length), output);
                }
                if (addSpecial) output.Add(RequireId(_vocab.Sep, "SEP"));
                break;
            }
        }
    }

    private static int RequireId(int id, string what) =>
        id >= 0 ? id : throw new InvalidOperationException($"the vocabulary asks for a {what} token but defines none");

    private void EncodeBpeText(ReadOnlySpan<byte> text, List<int> output, EncodeScratch s)
    {
        FragmentViews views = s.Views;
        views.Load(text);
        _pre!.Split(views, s.Words, s.WordsTmp);
        ReadOnlySpan<int> cpts = views.Span;
        ByteBuffer word = s.Word;
        Span<byte> tmp = stackalloc byte[4];
        int start = 0;
        foreach (int len in s.Words)
        {
            word.Clear();
            for (int i = start; i < start + len; i++)
            {
                int cp = cpts[i];
                if (cp < 0x80) word.Append((byte)cp);
                else word.Append(tmp[..Cpt.EncodeUtf8(cp, tmp)]);
            }
            _bpe!.EncodeWord(word.Span, output);
            start += len;
        }
    }

    /// <summary>Splits the text around special tokens (longest first), honouring lstrip/rstrip attributes.</summary>
    private void Partition(ReadOnlySpan<byte> text, bool parseSpecial, List<Fragment> frags, List<Fragment> tmp)
    {
        frags.Clear();
        if (text.IsEmpty) return;
        frags.Add(new Fragment { Token = -1, Offset = 0, Length = text.Length });

        foreach (int id in _vocab.SpecialTokens)
        {
            TokenAttributes attr = _vocab.Attrs[id];
            if (!parseSpecial && (attr & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0) continue;
            ReadOnlySpan<byte> tok = _vocab.Texts[id];

            bool any = false;
            foreach (var f in frags)
            {
                if (f.Token < 0 && f.Length >= tok.Length && text.Slice(f.Offset, f.Length).IndexOf(tok) >= 0) { any = true; break; }
            }
            if (!any) continue;

            tmp.Clear();
            foreach (var f in frags)
            {
                if (f.Token >= 0) { tmp.Add(f); continue; }
                int off = f.Offset, len = f.Length;
                while (len > 0)
                {
                    int idx = text.Slice(off, len).IndexOf(tok);
                    if (idx < 0) break;
                    int leftLen = idx;
                    if ((attr & TokenAttributes.LeftStrip) != 0)
                        while (leftLen > 0 && Cpt.IsAsciiSpace(text[off + leftLen - 1])) leftLen--;
                    if (leftLen > 0) tmp.Add(new Fragment { Token = -1, Offset = off, Length = leftLen });
                    tmp.Add(new Fragment { Token = id });
                    int rOff = off + idx + tok.Length;
                    int rLen = off + len - rOff;
                    if ((attr & TokenAttributes.RightStrip) != 0)
                        while (rLen > 0 && Cpt.IsAsciiSpace(text[rOff])) { rOff++; rLen--; }
                    off = rOff;
                    len = rLen;
                }
                if (len > 0) tmp.Add(new Fragment { Token = -1, Offset = off, Length = len });
            }
            frags.Clear();
            frags.AddRange(tmp);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Decoding

    /// <summary>
    /// The bytes of one token. With <paramref name="special"/> false, control and unknown tokens render as nothing.
    /// <paramref name="lstrip"/> skips up to that many leading spaces.
    /// </summary>
    public byte[] TokenToPiece(int id, bool special = true, int lstrip = 0) => PieceSpan(id, special, lstrip).ToArray();

    /// <summary>Writes the piece of a token; returns its length, or the negated length when it does not fit.</summary>
    public int TokenToPiece(int id, Span<byte> destination, bool special = true, int lstrip = 0)
    {
        ReadOnlySpan<byte> p = PieceSpan(id, special, lstrip);
        if (p.Length > destination.Length) return -p.Length;
        p.CopyTo(destination);
        return p.Length;
    }

    internal ReadOnlySpan<byte> PieceSpan(int id, bool special, int lstrip)
    {
        CheckId(id);
        if (!special && (_vocab.Attrs[id] & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0) return default;
        ReadOnlySpan<byte> p = _vocab.Piece(id);
        for (int i = 0; i < lstrip && p.Length > 0 && p[0] == (byte)' '; i++) p = p[1..];
        return p;
    }

    /// <summary>
    /// Detokenizes to raw bytes exactly like llama_detokenize: <paramref name="removeSpecial"/> drops a leading BOS /
    /// trailing EOS the vocabulary would add; <paramref name="unparseSpecial"/> renders control tokens as their text.
    /// </summary>
    public byte[] DecodeToBytes(ReadOnlySpan<int> ids, bool removeSpecial = false, bool unparseSpecial = false)
    {
        var buf = new ByteBuffer(ids.Length * 4 + 16);
        DecodeCore(ids, buf, removeSpecial, unparseSpecial);
        return buf.Span.ToArray();
    }

    /// <summary>Detokenizes to text (invalid UTF-8 becomes U+FFFD).</summary>
    public string Decode(ReadOnlySpan<int> ids, bool removeSpecial = false, bool unparseSpecial = false)
    {
        var buf = new ByteBuffer(ids.Length * 4 + 16);
        DecodeCore(ids, buf, removeSpecial, unparseSpecial);
        return Encoding.UTF8.GetString(buf.Span);
    }

    private void DecodeCore(ReadOnlySpan<int> tokens, ByteBuffer dst, bool removeSpecial, bool unparseSpecial)
    {
        dst.Clear();
        bool removeSpace = _vocab.AddSpacePrefix;
        if (removeSpecial && _vocab.AddBos && tokens.Length > 0 && tokens[0] == _vocab.Bos)
        {
            removeSpace = false;
            tokens = tokens[1..];
        }
        if (removeSpecial && _vocab.AddEos && tokens.Length > 0 && tokens[^1] == _vocab.Eos) tokens = tokens[..^1];

        foreach (int t in tokens)
        {
            dst.Append(PieceSpan(t, unparseSpecial, removeSpace ? 1 : 0));
            removeSpace = false;
        }

        if (_vocab.CleanSpaces) CleanUpSpaces(dst);
    }

    /// <summary>The reference's three clean-up passes (" ?" " !" " ." " ,", " ' ", and " 's"/" 'm"/" 're"/" 've").</summary>
    private static void CleanUpSpaces(ByteBuffer buf)
    {
        Span<byte> text = buf.Span;
        int total = text.Length;

        int total1 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total1; i++)
        {
            byte x = text[i];
            if (text[i - 1] == (byte)' ' && x is (byte)'?' or (byte)'!' or (byte)'.' or (byte)',') total--;
            text[total++] = x;
        }

        int total2 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total2; i++)
        {
            byte x = text[i];
            if (x == (byte)'\'' && i + 1 < total2 && text[i - 1] == (byte)' ' && text[i + 1] == (byte)' ')
            {
                total--;
                text[++i] = 0;
            }
            text[total++] = x;
        }

        int total3 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total3; i++)
        {
            byte x = text[i];
            if (text[i - 1] == (byte)' ' && x == (byte)'\'' && i + 1 < total3)
            {
                byte x1 = text[i + 1];
                if (x1 is (byte)'s' or (byte)'m') total--;
                else if (x1 is not ((byte)'t' or (byte)'d') && i + 2 < total3)
                {
                    byte x2 = text[i + 2];
                    if ((x1 == (byte)'r' && x2 == (byte)'e') || (x1 == (byte)'v' && x2 == (byte)'e')) total--;
                }
            }
            text[total++] = x;
        }
        buf.SetLength(total);
    }

    /// <summary>A streaming decoder that turns ids into text chunks without ever splitting a UTF-8 character.</summary>
    public IncrementalDetokenizer CreateIncrementalDetokenizer(bool renderSpecial = false, bool skipLeadingSpace = false) =>
        new(this, renderSpecial, skipLeadingSpace);
}

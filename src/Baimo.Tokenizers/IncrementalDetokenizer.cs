using System.Text;

namespace Baimo.Tokenizers;

/// <summary>
/// Streams token ids to text. Bytes of a UTF-8 character split across tokens are held back until the character is
/// complete; bytes that can never form a valid character become U+FFFD as soon as that is certain; whatever is
/// still pending at <see cref="Flush"/> is emitted (incomplete sequences as U+FFFD). Not thread-safe.
/// </summary>
public sealed class IncrementalDetokenizer
{
    private readonly Tokenizer _tokenizer;
    private readonly bool _renderSpecial;
    private readonly bool _skipLeadingSpace;
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];
    private bool _first = true;

    /// <param name="tokenizer">The vocabulary.</param>
    /// <param name="renderSpecial">Render control tokens as their text (otherwise they produce nothing).</param>
    /// <param name="skipLeadingSpace">Drop one leading space of the first token (as full decoding does for
    /// SentencePiece vocabularies that add a space prefix).</param>
    public IncrementalDetokenizer(Tokenizer tokenizer, bool renderSpecial = false, bool skipLeadingSpace = false)
    {
        _tokenizer = tokenizer;
        _renderSpecial = renderSpecial;
        _skipLeadingSpace = skipLeadingSpace;
    }

    /// <summary>Whether bytes of an incomplete character are held back.</summary>
    public bool HasPending { get; private set; }

    /// <summary>Feeds one token; returns the text that became complete (possibly empty).</summary>
    public string Append(int token)
    {
        ReadOnlySpan<byte> piece = _tokenizer.PieceSpan(token, _renderSpecial, _first && _skipLeadingSpace ? 1 : 0);
        _first = false;
        return Feed(piece, flush: false);
    }

    /// <summary>Feeds raw bytes (e.g. a piece obtained elsewhere); returns the text that became complete.</summary>
    public string AppendBytes(ReadOnlySpan<byte> bytes) => Feed(bytes, flush: false);

    /// <summary>Ends the stream: returns any held-back bytes as text (U+FFFD for an incomplete character).</summary>
    public string Flush()
    {
        string s = Feed(default, flush: true);
        _first = true;
        return s;
    }

    /// <summary>Forgets pending bytes and starts a new stream.</summary>
    public void Reset()
    {
        _decoder.Reset();
        HasPending = false;
        _first = true;
    }

    private string Feed(ReadOnlySpan<byte> bytes, bool flush)
    {
        int max = bytes.Length + 8;
        if (_chars.Length < max) _chars = new char[Math.Max(max, _chars.Length * 2)];
        _decoder.Convert(bytes, _chars, flush, out _, out int charsUsed, out _);
        HasPending = !flush && _decoder.GetCharCount(ReadOnlySpan<byte>.Empty, flush: true) > 0;
        return charsUsed == 0 ? string.Empty : new string(_chars, 0, charsUsed);
    }
}

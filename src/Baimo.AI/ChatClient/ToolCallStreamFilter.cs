using System.Text;

namespace Baimo.AI;

/// <summary>
/// Streams a reply's text while holding back what may be a tool call: once the format's marker appears
/// (or, for Llama 3, once the reply opens with <c>{</c>) everything after it waits for <see cref="Finish"/>,
/// which parses the calls. Text that only might become a marker (a trailing <c>&lt;tool</c>) is held until
/// the next piece decides.
/// </summary>
public sealed class ToolCallStreamFilter(ToolCallFormat format)
{
    private readonly StringBuilder _text = new();
    private int _emitted;
    private int _held = -1; // where held-back tool-call text starts, or −1

    private string[] Markers => format switch
    {
        ToolCallFormat.Hermes => [ToolCallParser.HermesOpen],
        ToolCallFormat.Mistral => [ToolCallParser.MistralMarker],
        _ => [ToolCallParser.PythonTag],
    };

    /// <summary>Adds generated text; returns the part that is certainly plain text (possibly empty).</summary>
    public string Push(string piece)
    {
        _text.Append(piece);
        if (_held >= 0) return "";
        var text = _text.ToString();
        if (format == ToolCallFormat.Llama3Json && _emitted == 0)
        {
            var trimmed = text.TrimStart();
            if (trimmed.Length == 0) return "";
            if (trimmed[0] == '{') { _held = 0; return ""; }
        }
        foreach (var marker in Markers)
        {
            int m = text.IndexOf(marker, _emitted, StringComparison.Ordinal);
            if (m >= 0)
            {
                _held = m;
                return Emit(text, m);
            }
        }
        int safe = text.Length - PartialMarkerLength(text);
        return Emit(text, safe);
    }

    /// <summary>The whole reply parsed, and the text not yet returned by <see cref="Push"/> when it holds no tool call.</summary>
    public (string RemainingText, ParsedReply Reply) Finish()
    {
        var text = _text.ToString();
        var reply = ToolCallParser.Parse(format, text);
        if (reply.ToolCalls.Count > 0)
        {
            // The text before the calls has been streamed (or is streamed now); the calls replace the rest.
            int end = _held >= 0 ? _held : text.Length;
            var rest = end > _emitted ? text[_emitted..end] : "";
            _emitted = text.Length;
            return (rest, reply);
        }
        var remaining = text[_emitted..];
        _emitted = text.Length;
        return (remaining, reply);
    }

    private string Emit(string text, int upTo)
    {
        if (upTo <= _emitted) return "";
        var s = text[_emitted..upTo];
        _emitted = upTo;
        return s;
    }

    /// <summary>How many trailing characters are a proper prefix of a marker.</summary>
    private int PartialMarkerLength(string text)
    {
        int best = 0;
        foreach (var marker in Markers)
            for (int n = Math.Min(marker.Length - 1, text.Length - _emitted); n > best; n--)
                if (string.CompareOrdinal(text, text.Length - n, marker, 0, n) == 0) { best = n; break; }
        return best;
    }
}

using System.Text;

namespace Baimo.Knowledge.Answers;

/// <summary>
/// Watches streamed answer text for citations — "[1]", "[1, 3]", "[2-4]", full-width "【1】" — records the
/// numbers, and removes numbers that match no source before the text reaches the user (a citation that leads
/// nowhere is worse than none). A bracket that does not hold only numbers ("[see above]", "[2024]") is text.
/// Text is held back only while a bracket is open, so streaming stays smooth.
/// </summary>
public sealed class CitationFilter(int sourceCount)
{
    const int MaxCitationLength = 24;

    readonly StringBuilder _pending = new();   // an open bracket and what followed it
    readonly StringBuilder _spaces = new();    // spaces not yet emitted: dropped with a removed citation
    readonly SortedSet<int> _cited = [];
    readonly List<int> _invalid = [];

    public IReadOnlySet<int> Cited => _cited;

    public IReadOnlyList<int> Invalid => _invalid;

    /// <summary>Takes the next piece of model output and returns the text that can be shown now.</summary>
    public string Push(string text)
    {
        var output = new StringBuilder();
        foreach (var c in text) Push(c, output);
        return output.ToString();
    }

    /// <summary>Returns whatever was held back; call at the end of the stream.</summary>
    public string Flush()
    {
        var output = new StringBuilder();
        output.Append(_spaces).Append(_pending);
        _spaces.Clear();
        _pending.Clear();
        return output.ToString();
    }

    void Push(char c, StringBuilder output)
    {
        if (_pending.Length > 0)
        {
            _pending.Append(c);
            if (c is ']' or '】') Close(output);
            else if (_pending.Length > MaxCitationLength || !IsCitationChar(c)) ReleasePending(output);
            return;
        }
        if (c is '[' or '【') { _pending.Append(c); return; }
        if (c is ' ' or '\t') { _spaces.Append(c); return; }
        output.Append(_spaces).Append(c);
        _spaces.Clear();
    }

    /// <summary>The bracket turned out not to be a citation: it is text, and so is a new "[" inside it.</summary>
    void ReleasePending(StringBuilder output)
    {
        var held = _pending.ToString();
        _pending.Clear();
        output.Append(_spaces);
        _spaces.Clear();
        output.Append(held[0]);
        foreach (var c in held.AsSpan(1)) Push(c, output);
    }

    void Close(StringBuilder output)
    {
        var raw = _pending.ToString();
        var numbers = Parse(raw.AsSpan(1, raw.Length - 2));
        if (numbers is null) { ReleasePending(output); return; }
        _pending.Clear();
        var valid = new List<int>();
        foreach (var n in numbers)
        {
            if (n >= 1 && n <= sourceCount) { valid.Add(n); _cited.Add(n); }
            else _invalid.Add(n);
        }
        if (valid.Count == 0) { _spaces.Clear(); return; } // drop it with the space before it
        output.Append(_spaces);
        _spaces.Clear();
        output.Append(valid.Count == numbers.Count ? raw : $"{raw[0]}{string.Join(", ", valid)}{raw[^1]}");
    }

    static bool IsCitationChar(char c) => char.IsAsciiDigit(c) || c is ' ' or ',' or '，' or '、' or '-' or '–';

    /// <summary>The numbers in "1, 3" or "2-4"; null when it is not a list of 1–3 digit numbers.</summary>
    static List<int>? Parse(ReadOnlySpan<char> inner)
    {
        var numbers = new List<int>();
        foreach (var part in inner.ToString().Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split(['-', '–']);
            if (range.Length == 1 && Number(range[0]) is { } n) numbers.Add(n);
            else if (range.Length == 2 && Number(range[0]) is { } a && Number(range[1]) is { } b && a <= b && b - a <= 20)
                for (int k = a; k <= b; k++) numbers.Add(k);
            else return null;
        }
        return numbers.Count == 0 ? null : numbers;
    }

    static int? Number(string s) => s.Length is >= 1 and <= 3 && s.All(char.IsAsciiDigit) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
}

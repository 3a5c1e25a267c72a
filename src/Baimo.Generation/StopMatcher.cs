namespace Baimo.Generation;

/// <summary>
/// Streams text while watching for stop strings: text that might be the start of a stop string is held
/// back until it is known not to be one, so a caller never sees part of a stop string.
/// </summary>
public sealed class StopMatcher(IReadOnlyList<string> stops)
{
    private readonly System.Text.StringBuilder _pending = new();

    /// <summary>True once a stop string was seen; later input is ignored.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds text; returns what can be released now.</summary>
    public string Push(string text)
    {
        if (Stopped) return "";
        _pending.Append(text);
        if (stops.Count == 0) return Drain(_pending.Length);
        var s = _pending.ToString();
        int first = -1;
        foreach (var stop in stops)
        {
            if (stop.Length == 0) continue;
            int at = s.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        if (first >= 0)
        {
            Stopped = true;
            var released = s[..first];
            _pending.Clear();
            return released;
        }
        // Hold back the longest suffix that is a proper prefix of some stop string.
        int hold = 0;
        foreach (var stop in stops)
            for (int len = Math.Min(stop.Length - 1, s.Length); len > hold; len--)
                if (string.CompareOrdinal(s, s.Length - len, stop, 0, len) == 0) { hold = len; break; }
        return Drain(s.Length - hold);
    }

    /// <summary>Releases whatever is held back (at the end of generation).</summary>
    public string Flush() => Stopped ? "" : Drain(_pending.Length);

    private string Drain(int count)
    {
        var r = _pending.ToString(0, count);
        _pending.Remove(0, count);
        return r;
    }
}

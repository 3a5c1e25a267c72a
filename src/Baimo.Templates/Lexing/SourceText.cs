namespace Baimo.Templates.Lexing;

/// <summary>The normalised template source with a line table for positions.</summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string raw)
    {
        // As Jinja2: every newline form becomes \n, and one trailing newline is dropped.
        var text = raw.Replace("\r\n", "\n").Replace('\r', '\n');
        if (text.EndsWith('\n')) text = text[..^1];
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = starts.ToArray();
    }

    public string Text { get; }

    public (int Line, int Column) Locate(int position)
    {
        var idx = Array.BinarySearch(_lineStarts, position);
        if (idx < 0) idx = ~idx - 1;
        return (idx + 1, position - _lineStarts[idx] + 1);
    }
}

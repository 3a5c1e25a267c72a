using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Chunking;

/// <summary>The packing state of <see cref="DocumentChunker"/>: the open chunk's units and the heading stack.</summary>
internal sealed class ChunkBuilder(string text, ChunkingOptions options)
{
    // A unit is the smallest piece packing moves: a heading, a whole block, a sentence, a code line or a table row.
    private readonly record struct Unit(int Start, int End, int Tokens, bool IsHeading);

    private readonly List<(int Level, string Text)> _headings = [];
    private readonly List<Unit> _units = [];
    private string? _location;
    private string? _tableHeader;   // non-null while the open chunk holds table rows
    private int _tokens;

    public List<Chunk> Chunks { get; } = [];

    private int Budget => options.ChunkTokens;

    private bool HasContent => _units.Exists(u => !u.IsHeading);

    public void AddHeading(DocumentBlock block)
    {
        Flush(keepOverlap: false);
        int level = Math.Max(1, block.Level);
        while (_headings.Count > 0 && _headings[^1].Level >= level) _headings.RemoveAt(_headings.Count - 1);
        _headings.Add((level, block.Text.Trim()));
        // Consecutive headings (title, then chapter) collect in front of the section's first chunk.
        _location ??= block.Location;
        Add(new Unit(block.Start, block.Start + block.Length, TokenEstimator.Count(Span(block)), IsHeading: true));
    }

    public void AddTableRow(DocumentBlock block)
    {
        string header = block.TableHeader ?? "";
        if (_tableHeader != header || LocationChanged(block)) Flush(keepOverlap: false);
        if (_tableHeader is null)
        {
            // The header row leads every table chunk; a pending heading is left to the heading path instead of
            // landing between the header and the first row.
            _units.Clear();
            _tokens = 0;
            _tableHeader = header;
            _tokens += TokenEstimator.Count(header);
        }
        _location ??= block.Location;
        int tokens = TokenEstimator.Count(Span(block));
        if (_tokens + tokens > Budget && HasContent)
        {
            Flush(keepOverlap: false);
            _tableHeader = header;
            _tokens += TokenEstimator.Count(header);
            _location = block.Location;
        }
        Add(new Unit(block.Start, block.Start + block.Length, tokens, IsHeading: false));
    }

    public void AddFlowBlock(DocumentBlock block)
    {
        if (_tableHeader is not null || LocationChanged(block)) Flush(keepOverlap: false);
        _location ??= block.Location;
        int tokens = TokenEstimator.Count(Span(block));
        if (tokens <= Budget)
        {
            // A block that fits a chunk is never cut: close the open chunk first if it cannot take the block too.
            if (_tokens + tokens > Budget) { Flush(keepOverlap: true); TrimOverlapToFit(tokens); }
            _location ??= block.Location;
            Add(new Unit(block.Start, block.Start + block.Length, tokens, IsHeading: false));
            return;
        }
        foreach (var unit in Pieces(block))
        {
            if (_tokens + unit.Tokens > Budget && HasContent) { Flush(keepOverlap: true); TrimOverlapToFit(unit.Tokens); }
            _location ??= block.Location;
            Add(unit);
        }
    }

    /// <summary>Emits the open chunk (if it has content) and, when asked, seeds the next with trailing sentences.</summary>
    public void Flush(bool keepOverlap)
    {
        // Without content there is nothing to emit; pending headings wait for the section's first chunk.
        if (!HasContent) return;
        int start = _units[0].Start, end = _units[^1].End;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        string body = text.Substring(start, end - start);
        string chunkText = _tableHeader is { Length: > 0 } h ? h + "\n" + body : body;
        Chunks.Add(new Chunk(Chunks.Count, chunkText, start, end - start, _location,
            _headings.Select(x => x.Text).ToArray(), _tokens));

        var carried = new List<Unit>();
        if (keepOverlap && options.OverlapTokens > 0 && _tableHeader is null)
        {
            int sum = 0;
            for (int i = _units.Count - 1; i > 0; i--)
            {
                var u = _units[i];
                if (u.IsHeading || sum + u.Tokens > options.OverlapTokens) break;
                sum += u.Tokens;
                carried.Insert(0, u);
            }
        }
        _units.Clear();
        _tokens = 0;
        _tableHeader = null;
        _location = null;
        foreach (var u in carried) Add(u);
    }

    private void Add(Unit unit)
    {
        _units.Add(unit);
        _tokens += unit.Tokens;
    }

    // Carried-over sentences give way to a block that would otherwise not fit whole.
    private void TrimOverlapToFit(int incoming)
    {
        while (_units.Count > 0 && _tokens + incoming > Budget && !_units[0].IsHeading)
        {
            _tokens -= _units[0].Tokens;
            _units.RemoveAt(0);
        }
    }

    private bool LocationChanged(DocumentBlock block) => HasContent && _location != block.Location;

    private ReadOnlySpan<char> Span(DocumentBlock b) => text.AsSpan(b.Start, b.Length);

    // Sentences for prose, lines for code; a piece still over the budget is cut at a soft break near the limit.
    private IEnumerable<Unit> Pieces(DocumentBlock block)
    {
        string blockText = text.Substring(block.Start, block.Length);
        var ranges = block.Kind == BlockKind.Code ? Lines(blockText) : SentenceSplitter.Split(blockText);
        foreach (var (s, len) in ranges)
        {
            int from = block.Start + s, to = from + len;
            while (from < to)
            {
                int cut = CutPoint(from, to);
                yield return new Unit(from, cut, TokenEstimator.Count(text.AsSpan(from, cut - from)), IsHeading: false);
                from = cut;
            }
        }
    }

    private static List<(int, int)> Lines(string s)
    {
        var list = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
            if (s[i] == '\n') { list.Add((start, i + 1 - start)); start = i + 1; }
        if (start < s.Length) list.Add((start, s.Length - start));
        return list;
    }

    // The end of the longest prefix of [from, to) within the budget, moved back to a space or clause mark if one
    // lies in its second half, so a forced cut does not land inside a word.
    private int CutPoint(int from, int to)
    {
        if (TokenEstimator.Count(text.AsSpan(from, to - from)) <= Budget) return to;
        int lo = from + 1, hi = to;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (TokenEstimator.Count(text.AsSpan(from, mid - from)) <= Budget) lo = mid; else hi = mid - 1;
        }
        for (int i = lo; i > from + (lo - from) / 2; i--)
        {
            char c = text[i - 1];
            if (char.IsWhiteSpace(c) || c is '，' or ',' or '、' or '：' or ':' or '；') return i;
        }
        return lo;
    }
}

using ICU4N.Text;

namespace Baimo.Knowledge.Analysis;

/// <summary>
/// Dictionary-based word segmentation from ICU: Chinese and Japanese runs are split into dictionary words
/// (北京大学 → 北京 / 大学), Latin words and numbers follow the Unicode word-boundary rules.
/// </summary>
public sealed class IcuWordSegmenter : IWordSegmenter
{
    // BreakIterator keeps per-text state and is not thread-safe; one per thread, created from a shared prototype
    // because building one from the rules and the dictionaries is far more expensive than cloning it.
    private readonly BreakIterator _prototype;
    private readonly ThreadLocal<BreakIterator> _perThread;

    private IcuWordSegmenter(BreakIterator prototype)
    {
        _prototype = prototype;
        _perThread = new ThreadLocal<BreakIterator>(() => (BreakIterator)_prototype.Clone());
    }

    public string Name => "icu-word";

    /// <summary>
    /// Creates the segmenter, or returns null when ICU cannot start in this process: under invariant globalization
    /// ICU4N needs <c>System.Globalization.PredefinedCulturesOnly=false</c> in the host's runtime configuration.
    /// </summary>
    public static IcuWordSegmenter? TryCreate(out string? error)
    {
        try
        {
            var bi = BreakIterator.GetWordInstance(System.Globalization.CultureInfo.InvariantCulture);
            error = null;
            return new IcuWordSegmenter(bi);
        }
        catch (Exception e) when (e is TypeInitializationException or System.Globalization.CultureNotFoundException
                                      or System.Resources.MissingManifestResourceException)
        {
            error = e.GetBaseException().Message;
            return null;
        }
    }

    public IReadOnlyList<Token> Segment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>(text.Length / 2 + 1);
        if (text.Length == 0) return tokens;
        var bi = _perThread.Value!;
        bi.SetText(text);
        int start = bi.First();
        for (int end = bi.Next(); end != BreakIterator.Done; start = end, end = bi.Next())
        {
            // Rule status 0 marks spans that are not words (spaces, punctuation, symbols).
            if (bi.RuleStatus == 0) continue;
            tokens.Add(new Token(text.Substring(start, end - start), start, end - start));
        }
        return tokens;
    }
}

namespace Baimo.Knowledge.Analysis;

/// <summary>Which terms a CJK run contributes to the index and to queries.</summary>
public enum CjkTerms
{
    /// <summary>Dictionary words only.</summary>
    Words,
    /// <summary>Overlapping character bigrams of each CJK run only (single characters for one-character runs).</summary>
    Bigrams,
    /// <summary>Both: words give precision, bigrams catch words the dictionary splits differently in query and text.</summary>
    WordsAndBigrams,
}

/// <summary>
/// Turns text into index terms: normalise (<see cref="TextNormalizer"/>), segment into words, and for CJK runs add
/// character bigrams. The same analyzer must build the index and the queries; a base records its
/// <see cref="Name"/> so a mismatch can be detected.
/// </summary>
public sealed class TextAnalyzer
{
    private static readonly Lazy<TextAnalyzer> s_default = new(() => new TextAnalyzer(DefaultSegmenter(), CjkTerms.WordsAndBigrams));

    public TextAnalyzer(IWordSegmenter segmenter, CjkTerms cjkTerms)
    {
        Segmenter = segmenter ?? throw new ArgumentNullException(nameof(segmenter));
        CjkTerms = cjkTerms;
    }

    /// <summary>ICU word segmentation with bigrams, or the script-run fallback when ICU cannot start.</summary>
    public static TextAnalyzer Default => s_default.Value;

    public IWordSegmenter Segmenter { get; }

    public CjkTerms CjkTerms { get; }

    /// <summary>Identifies the term scheme, e.g. "icu-word+bigrams".</summary>
    public string Name => Segmenter.Name + CjkTerms switch
    {
        CjkTerms.Words => "",
        CjkTerms.Bigrams => "/bigrams-only",
        _ => "+bigrams",
    };

    /// <summary>The ICU segmenter when available, else <see cref="ScriptRunSegmenter"/>.</summary>
    public static IWordSegmenter DefaultSegmenter() =>
        (IWordSegmenter?)IcuWordSegmenter.TryCreate(out _) ?? new ScriptRunSegmenter();

    /// <summary>The index terms of <paramref name="text"/>, in text order, duplicates kept (they are term frequency).</summary>
    public List<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var norm = TextNormalizer.Normalize(text);
        var terms = new List<string>(norm.Length);
        foreach (var tok in Segmenter.Segment(norm))
        {
            // In bigram-only mode CJK words are left to the bigrams; other scripts always index their words.
            if (tok.IsCjk && CjkTerms == CjkTerms.Bigrams) continue;
            terms.Add(tok.Text);
        }
        if (CjkTerms == CjkTerms.Words) return terms;
        for (int i = 0; i < norm.Length;)
        {
            if (!CjkChars.IsCjk(norm[i])) { i++; continue; }
            int start = i;
            while (i < norm.Length && CjkChars.IsCjk(norm[i])) i++;
            AddBigrams(norm, start, i, terms, unigramForSingle: CjkTerms == CjkTerms.Bigrams);
        }
        return terms;
    }

    /// <summary>The terms joined by single spaces: the form stored in the full-text index.</summary>
    public string IndexText(string text) => string.Join(' ', Terms(text));

    private static void AddBigrams(string s, int start, int end, List<string> terms, bool unigramForSingle)
    {
        // A one-character run has no bigram; it is already a word unless words are off.
        if (end - start == 1) { if (unigramForSingle) terms.Add(s.Substring(start, 1)); return; }
        for (int k = start; k + 1 < end; k++) terms.Add(s.Substring(k, 2));
    }
}

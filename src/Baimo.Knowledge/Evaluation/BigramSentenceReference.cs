using Baimo.Knowledge.Chunking;

namespace Baimo.Knowledge.Evaluation;

/// <summary>
/// The reference point: every passage cut into sentences, each sentence indexed by its overlapping character
/// bigrams (whitespace dropped, no other normalisation), ranked by plain BM25. No titles, no structure, no words.
/// </summary>
public sealed class BigramSentenceReference : IEvalRetriever
{
    private readonly Bm25Index _index = new();
    private readonly List<string> _sentences = [];

    public BigramSentenceReference(IEnumerable<SquadPassage> passages)
    {
        foreach (var p in passages)
            foreach (var (start, length) in SentenceSplitter.Split(p.Context))
            {
                var s = p.Context.Substring(start, length).Trim();
                if (s.Length == 0) continue;
                _sentences.Add(s);
                _index.Add(Bigrams(s));
            }
    }

    public string Name => "reference: char-bigram BM25 over sentences";

    public int SentenceCount => _sentences.Count;

    public Task<IReadOnlyList<string>> RetrieveAsync(string question, int k, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_index.Search(Bigrams(question), k).Select(h => _sentences[h.Doc]).ToList());

    /// <summary>Overlapping bigrams of the text with whitespace removed; a one-character text is its own term.</summary>
    public static IEnumerable<string> Bigrams(string text)
    {
        var s = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
        if (s.Length == 1) yield return s;
        for (int i = 0; i + 1 < s.Length; i++) yield return s.Substring(i, 2);
    }
}

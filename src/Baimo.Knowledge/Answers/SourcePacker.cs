using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Answers;

/// <summary>
/// Chooses the sources for the prompt: hits in rank order, numbered from 1, each costing its header line and its
/// text, until the budget or <see cref="AnswerOptions.MaxSources"/> is reached. A hit that does not fit whole is
/// cut at a sentence end if what remains is worth it (<see cref="AnswerOptions.MinTruncatedCost"/>), and packing
/// stops there: skipping it for a shorter, lower-ranked hit would trade relevance for length.
/// </summary>
public static class SourcePacker
{
    public static List<AnswerSource> Pack(IEnumerable<SearchHit> hits, AnswerOptions options)
    {
        var sources = new List<AnswerSource>();
        int left = options.ContextBudget;
        foreach (var hit in hits.OrderBy(h => h.Rank))
        {
            if (sources.Count >= options.MaxSources) break;
            int number = sources.Count + 1;
            var header = PromptBuilder.SourceHeader(number, Label(hit));
            int headerCost = TokenEstimate.Cost(header, options.BudgetUnit) + SeparatorCost(options.BudgetUnit);
            int room = left - headerCost;
            var text = hit.Text.Trim();
            if (text.Length == 0) continue;
            int cost = TokenEstimate.Cost(text, options.BudgetUnit);
            if (cost > room)
            {
                // The best hit always gets in, cut if need be; later ones only when enough of them is left.
                if (room < options.MinTruncatedCost && sources.Count > 0) break;
                var cut = SentenceCut.Fit(text, room, options.BudgetUnit);
                if (cut is null) break;
                sources.Add(Source(number, hit, cut, truncated: true, options));
                break;
            }
            sources.Add(Source(number, hit, text, truncated: false, options));
            left -= headerCost + cost;
        }
        return sources;
    }

    /// <summary>The cost of the blank line between two sources in the prompt.</summary>
    static int SeparatorCost(BudgetUnit unit) => TokenEstimate.Cost("\n\n", unit);

    static string Label(SearchHit hit) =>
        new AnswerSource(0, hit.Source, hit.Location, hit.HeadingPath, "", "", false, false, hit).Label;

    static AnswerSource Source(int number, SearchHit hit, string text, bool truncated, AnswerOptions options) =>
        new(number, hit.Source, hit.Location, hit.HeadingPath, text,
            SentenceCut.Fit(text, options.ExcerptChars, BudgetUnit.Characters) ?? text[..Math.Min(text.Length, options.ExcerptChars)],
            truncated, Cited: false, hit);
}

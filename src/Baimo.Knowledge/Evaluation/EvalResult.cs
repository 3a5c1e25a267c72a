using System.Globalization;
using System.Text;

namespace Baimo.Knowledge.Evaluation;

/// <summary>
/// Retrieval quality of one system: the share of questions with a gold answer inside the top 1, 5 and 20 hits,
/// inside the first <see cref="BudgetChars"/> characters of the hits concatenated in rank order, and the mean size
/// of a hit (bigger hits make recall@k easier, which the budget column corrects for).
/// </summary>
public sealed record EvalResult(string Name, int Questions, double RecallAt1, double RecallAt5, double RecallAt20,
    int BudgetChars, double BudgetRecall, double MeanHitChars)
{
    /// <summary>A Markdown table of results, one row per system.</summary>
    public static string ToMarkdown(IEnumerable<EvalResult> results)
    {
        var list = results.ToList();
        var sb = new StringBuilder();
        int budget = list.Count > 0 ? list[0].BudgetChars : 0;
        sb.AppendLine(CultureInfo.InvariantCulture, $"| system | questions | R@1 | R@5 | R@20 | answer in first {budget} chars | mean hit chars |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in list)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Questions} | {r.RecallAt1:P1} | {r.RecallAt5:P1} | {r.RecallAt20:P1} | {r.BudgetRecall:P1} | {r.MeanHitChars:F0} |");
        return sb.ToString();
    }
}

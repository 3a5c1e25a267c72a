namespace Baimo.Knowledge.Evaluation;

/// <summary>Runs every question of a data set through a retriever and scores whether the gold answer text was retrieved.</summary>
public static class RetrievalEvaluator
{
    /// <summary>Evaluates <paramref name="retriever"/> on <paramref name="questions"/>.</summary>
    /// <param name="budgetChars">Context budget: hits are concatenated in rank order and cut at this many characters.</param>
    public static async Task<EvalResult> EvaluateAsync(IEvalRetriever retriever, IReadOnlyList<SquadQuestion> questions,
        int budgetChars = 600, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentNullException.ThrowIfNull(questions);
        int at1 = 0, at5 = 0, at20 = 0, inBudget = 0;
        long hitChars = 0, hitCount = 0;
        foreach (var q in questions)
        {
            var hits = await retriever.RetrieveAsync(q.Question, 20, cancellationToken).ConfigureAwait(false);
            int first = FirstHitWithAnswer(hits, q.Answers);
            if (first is >= 0 and < 1) at1++;
            if (first is >= 0 and < 5) at5++;
            if (first is >= 0 and < 20) at20++;
            if (ContainsAnswer(Budgeted(hits, budgetChars), q.Answers)) inBudget++;
            foreach (var h in hits) { hitChars += h.Length; hitCount++; }
        }
        double n = Math.Max(1, questions.Count);
        return new EvalResult(retriever.Name, questions.Count, at1 / n, at5 / n, at20 / n, budgetChars, inBudget / n,
            hitCount == 0 ? 0 : (double)hitChars / hitCount);
    }

    /// <summary>
    /// The hits as a prompt would receive them: in rank order, separated by a newline, cut at
    /// <paramref name="budgetChars"/>. A separator cannot create an answer, so it does not count against the budget.
    /// </summary>
    public static string Budgeted(IReadOnlyList<string> hits, int budgetChars)
    {
        var sb = new System.Text.StringBuilder();
        int used = 0;
        foreach (var h in hits)
        {
            if (used >= budgetChars) break;
            int take = Math.Min(h.Length, budgetChars - used);
            sb.Append(h, 0, take).Append('\n');
            used += take;
        }
        return sb.ToString();
    }

    private static int FirstHitWithAnswer(IReadOnlyList<string> hits, IReadOnlyList<string> answers)
    {
        for (int i = 0; i < hits.Count; i++)
            if (ContainsAnswer(hits[i], answers)) return i;
        return -1;
    }

    private static bool ContainsAnswer(string text, IReadOnlyList<string> answers) =>
        answers.Any(a => text.Contains(a, StringComparison.Ordinal));
}

namespace Baimo.Knowledge.Answers;

/// <summary>Shortens text at a sentence end so a truncated source never stops mid-sentence (or mid-number).</summary>
public static class SentenceCut
{
    /// <summary>
    /// The longest prefix ending at a sentence end (". ", "! ", "? ", "。", "！", "？", "；", or a line break)
    /// whose cost is within <paramref name="budget"/>; when even the first sentence is too long, the longest
    /// prefix ending at a space (or any character, for text without spaces) followed by "…". Null when nothing fits.
    /// </summary>
    public static string? Fit(string text, int budget, BudgetUnit unit)
    {
        if (TokenEstimate.Cost(text, unit) <= budget) return text;
        int maxLength = MaxPrefix(text, budget, unit);
        if (maxLength <= 0) return null;
        for (int end = maxLength; end > 0; end--)
            if (IsSentenceEnd(text, end)) return text[..end].TrimEnd();

        // No sentence fits: cut at a word, leaving room for the ellipsis.
        int room = MaxPrefix(text, budget - TokenEstimate.Cost("…", unit), unit);
        if (room <= 0) return null;
        int cut = text.LastIndexOf(' ', Math.Min(room, text.Length - 1));
        if (cut <= 0 || cut < room / 2) cut = room;
        return text[..cut].TrimEnd() + "…";
    }

    /// <summary>True when a sentence ends just before index <paramref name="end"/>.</summary>
    static bool IsSentenceEnd(string text, int end)
    {
        char last = text[end - 1];
        if (last is '。' or '！' or '？' or '；' or '\n') return true;
        if (last is '.' or '!' or '?' or ';' or ':')
            return end == text.Length || char.IsWhiteSpace(text[end]);
        return false;
    }

    /// <summary>The number of leading characters whose cost fits (the cost only grows with length).</summary>
    static int MaxPrefix(string text, int budget, BudgetUnit unit)
    {
        if (budget <= 0) return 0;
        if (unit == BudgetUnit.Characters) return Math.Min(budget, text.Length);
        int lo = 0, hi = text.Length;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (TokenEstimate.Count(text.AsSpan(0, mid)) <= budget) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}

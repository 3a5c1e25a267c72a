namespace Baimo.Knowledge.Answers;

/// <summary>
/// A tokenizer-free token count for budgeting prompts: about four characters per token for alphabetic text
/// (the usual BPE rate for English) and one per CJK character (Qwen, Llama 3 and GLM vocabularies average
/// 0.7–1.5 tokens per Han character; one is a fair middle). Good to within some 20%, which a budget with headroom tolerates.
/// </summary>
public static class TokenEstimate
{
    public static int Count(ReadOnlySpan<char> text)
    {
        int cjk = 0, other = 0;
        foreach (var c in text)
        {
            if (Readers.Whitespace.IsCjk(c)) cjk++;
            else other++;
        }
        return cjk + (other + 3) / 4;
    }

    /// <summary>The cost of a text in the given unit.</summary>
    public static int Cost(ReadOnlySpan<char> text, BudgetUnit unit) => unit == BudgetUnit.Tokens ? Count(text) : text.Length;
}

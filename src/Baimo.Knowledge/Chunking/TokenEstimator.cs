using Baimo.Knowledge.Analysis;

namespace Baimo.Knowledge.Chunking;

/// <summary>
/// Counts tokens the way common LLM tokenizers roughly do, without loading one: a CJK character ≈ 1 token, a
/// word of another script ≈ 1.3 tokens, a punctuation or symbol character ≈ 1 token, whitespace free.
/// </summary>
public static class TokenEstimator
{
    /// <summary>Approximate tokens in <paramref name="text"/>.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        double tokens = 0;
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (CjkChars.IsCjk(c)) { tokens += 1; i++; }
            else if (CjkChars.IsWordChar(c))
            {
                while (i < text.Length && CjkChars.IsWordChar(text[i])) i++;
                tokens += 1.3;
            }
            else { if (!char.IsWhiteSpace(c)) tokens += 1; i++; }
        }
        return (int)Math.Ceiling(tokens);
    }
}

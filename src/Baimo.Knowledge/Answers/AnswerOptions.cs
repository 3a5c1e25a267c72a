using Microsoft.Extensions.AI;

namespace Baimo.Knowledge.Answers;

/// <summary>What the context budget counts.</summary>
public enum BudgetUnit
{
    Characters,
    /// <summary>Approximate tokens (<see cref="TokenEstimate"/>): what a model's context window is measured in.</summary>
    Tokens,
}

/// <summary>Settings of <see cref="AnswerComposer"/>.</summary>
public sealed class AnswerOptions
{
    /// <summary>
    /// Room for the numbered sources (headers and text) in the prompt. 3,000 approximate tokens leave space for the
    /// instructions, the question and a full answer in a 4,096-token context, the smallest common window.
    /// </summary>
    public int ContextBudget { get; set; } = 3000;

    public BudgetUnit BudgetUnit { get; set; } = BudgetUnit.Tokens;

    /// <summary>At most this many sources, however short: past a handful, small models cite worse, not better.</summary>
    public int MaxSources { get; set; } = 8;

    /// <summary>A source cut to fit the budget must keep at least this much (in the budget unit), or it is left out: a few words out of context mislead more than they help.</summary>
    public int MinTruncatedCost { get; set; } = 60;

    /// <summary>
    /// A hit whose BM25 score reaches this is relevant. With the usual k1 = 1.2, b = 0.75, one query term seen once
    /// in a chunk of average length contributes its IDF, ln(1 + (N − n + 0.5)/(n + 0.5)); that reaches 1.0 when the
    /// term occurs in no more than about 37% of the chunks. So 1.0 means "at least one reasonably distinctive word
    /// of the question is in the chunk" — a match on words as common as "the" or "是" does not count.
    /// </summary>
    public double MinFullTextScore { get; set; } = 1.0;

    /// <summary>
    /// A hit whose cosine similarity reaches this is relevant. Sentence-embedding models such as bge, gte and
    /// MiniLM put unrelated pairs around 0.0–0.35 and paraphrases above 0.6; 0.5 sits between. Models whose
    /// scores are compressed upwards (e5 scores almost everything above 0.7) make this gate pass more often,
    /// which is the safe direction: the model is then called and told to say when the sources do not answer.
    /// </summary>
    public double MinVectorScore { get; set; } = 0.5;

    /// <summary>
    /// For hits that carry neither retriever score: the fused score they must reach. 0 lets them through, since a
    /// fused rank score alone says nothing absolute about relevance.
    /// </summary>
    public double MinFusedScore { get; set; }

    /// <summary>Length of the excerpt shown in the source list (characters, cut at a sentence boundary).</summary>
    public int ExcerptChars { get; set; } = 240;

    /// <summary>Passed to the chat client (temperature, max tokens, model id).</summary>
    public ChatOptions? ChatOptions { get; set; }
}

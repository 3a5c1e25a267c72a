using Baimo.Knowledge.Answers;
using Baimo.Knowledge.Retrieval;
using Microsoft.Extensions.AI;

namespace Baimo.Knowledge.Tests.Answers;

public class AnswerComposerTests
{
    static SearchHit Hit(int rank, string source, string text, string? location = null, string[]? headings = null,
        double? fullText = 5.0, double? vector = 0.8) =>
        new(rank, 1.0 / (60 + rank), rank * 10, source, location, headings ?? [], text, 0, text.Length, fullText, vector);

    static async Task<(List<AnswerUpdate> Updates, Answer Answer)> Run(AnswerComposer composer, string question, IReadOnlyList<SearchHit> hits)
    {
        var updates = new List<AnswerUpdate>();
        await foreach (var u in composer.AnswerAsync(question, hits)) updates.Add(u);
        return (updates, Assert.IsType<AnswerCompletedUpdate>(updates[^1]).Answer);
    }

    [Fact]
    public async Task ThePromptHoldsTheNumberedSourcesInRankOrderWithinTheBudget()
    {
        const string third = "Hotels are booked through the portal. Receipts are kept for ten years. Late claims need approval.";
        var hits = new[]
        {
            Hit(3, "c.md", third),
            Hit(1, "a.pdf", "Economy class is the default.", "page 2", ["Travel", "Flights"]),
            Hit(2, "b.docx", "Meals are covered up to 40 EUR a day."),
            Hit(4, "d.txt", "This one does not fit any more."),
        };
        // Character budget: headers and texts of [1] and [2] whole, [3] cut after its first sentence, [4] left out.
        const string h1 = "[1] a.pdf, page 2, Travel > Flights", h2 = "[2] b.docx", h3 = "[3] c.md";
        int budget = h1.Length + 2 + 29 + h2.Length + 2 + 38 + h3.Length + 2 + "Hotels are booked through the portal.".Length + 5;
        var options = new AnswerOptions { BudgetUnit = BudgetUnit.Characters, ContextBudget = budget, MinTruncatedCost = 10 };
        var chat = new ScriptedChatClient("Fly economy [1].");
        var (_, answer) = await Run(new AnswerComposer(chat, options), "How do I travel?", hits);

        var messages = Assert.Single(chat.Calls);
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Contains("only the numbered sources", messages[0].Text);
        Assert.Contains("Reply in English", messages[0].Text);
        Assert.Equal(
            "Sources:\n\n" +
            "[1] a.pdf, page 2, Travel > Flights\nEconomy class is the default.\n\n" +
            "[2] b.docx\nMeals are covered up to 40 EUR a day.\n\n" +
            "[3] c.md\nHotels are booked through the portal.\n\n" +
            "Question: How do I travel?", messages[1].Text);
        Assert.Equal([1, 2, 3], answer.Sources.Select(s => s.Number));
        Assert.Equal(["a.pdf", "b.docx", "c.md"], answer.Sources.Select(s => s.Source));
        Assert.Equal([false, false, true], answer.Sources.Select(s => s.Truncated));
        int used = answer.Sources.Sum(s => PromptBuilder.SourceHeader(s.Number, s.Label).Length + 2 + s.PromptText.Length);
        Assert.True(used <= budget, $"{used} > {budget}");
    }

    [Fact]
    public async Task CitationsMapToTheirSources()
    {
        var hits = new[] { Hit(1, "a.md", "Alpha."), Hit(2, "b.md", "Beta."), Hit(3, "c.md", "Gamma.") };
        var chat = new ScriptedChatClient("Alpha holds [1]. Beta too [1][3]; see [note] and [2024].");
        var (updates, answer) = await Run(new AnswerComposer(chat), "What holds?", hits);
        Assert.Equal("Alpha holds [1]. Beta too [1][3]; see [note] and [2024].", answer.Text);
        Assert.Equal(answer.Text, string.Concat(updates.OfType<AnswerTextUpdate>().Select(u => u.Text)));
        Assert.Equal([true, false, true], answer.Sources.Select(s => s.Cited));
        Assert.Equal(["a.md", "c.md"], answer.CitedSources.Select(s => s.Source));
        Assert.Empty(answer.InvalidCitations);
        Assert.True(answer.ModelCalled);
    }

    [Fact]
    public async Task OutOfRangeCitationsAreFlaggedAndRemoved()
    {
        var hits = new[] { Hit(1, "a.md", "Alpha."), Hit(2, "b.md", "Beta.") };
        var chat = new ScriptedChatClient("Claim one [7]. Claim two [2, 9]. Claim three 【1】 [0].", pieceLength: 2);
        var (updates, answer) = await Run(new AnswerComposer(chat), "Claims?", hits);
        Assert.Equal("Claim one. Claim two [2]. Claim three 【1】.", answer.Text);
        Assert.Equal(answer.Text, string.Concat(updates.OfType<AnswerTextUpdate>().Select(u => u.Text)));
        Assert.Equal([7, 9, 0], answer.InvalidCitations);
        Assert.Equal([true, true], answer.Sources.Select(s => s.Cited));
    }

    [Fact]
    public async Task EmptyRetrievalSaysDontKnowWithoutCallingTheModel()
    {
        var chat = new ScriptedChatClient("should not be used");
        var (updates, answer) = await Run(new AnswerComposer(chat), "What is the refund policy?", []);
        Assert.Empty(chat.Calls);
        Assert.Equal("I don't know. The knowledge base has nothing relevant to this question.", answer.Text);
        Assert.Equal(answer.Text, Assert.IsType<AnswerTextUpdate>(updates[0]).Text);
        Assert.Equal(2, updates.Count);
        Assert.False(answer.ModelCalled);
        Assert.Empty(answer.Sources);
        Assert.Equal(AnswerLanguage.English, answer.Language);
    }

    [Fact]
    public async Task AChineseQuestionGetsAChineseDontKnow()
    {
        var chat = new ScriptedChatClient("不应调用");
        var answer = await new AnswerComposer(chat).AnswerAllAsync("如何配置 Baimo 的向量检索？", []);
        Assert.Empty(chat.Calls);
        Assert.Equal("我不知道。知识库中没有找到与这个问题相关的内容。", answer.Text);
        Assert.Equal(AnswerLanguage.Chinese, answer.Language);
    }

    [Fact]
    public async Task HitsBelowBothThresholdsCountAsNothingFound()
    {
        var weak = new[] { Hit(1, "a.md", "Loosely related.", fullText: 0.4, vector: 0.31), Hit(2, "b.md", "Unrelated.", fullText: null, vector: 0.2) };
        var chat = new ScriptedChatClient("x");
        var answer = await new AnswerComposer(chat).AnswerAllAsync("年假有几天？", weak);
        Assert.Empty(chat.Calls);
        Assert.False(answer.ModelCalled);
        Assert.Equal(AnswerLanguage.Chinese, answer.Language);

        // One retriever vouching for one hit is enough, and then every hit goes in, in rank order.
        var mixed = new[] { weak[0], Hit(2, "c.md", "年假为十五天。", fullText: null, vector: 0.72) };
        var chat2 = new ScriptedChatClient("年假为十五天[2]。");
        var answer2 = await new AnswerComposer(chat2).AnswerAllAsync("年假有几天？", mixed);
        Assert.Single(chat2.Calls);
        Assert.Contains("Reply in Simplified Chinese", chat2.Calls[0][0].Text);
        Assert.Equal([false, true], answer2.Sources.Select(s => s.Cited));
    }

    [Fact]
    public void TheGateReadsEachRetrieverScore()
    {
        var o = new AnswerOptions();
        Assert.True(RelevanceGate.IsRelevant(Hit(1, "a", "t", fullText: 1.0, vector: null), o));
        Assert.False(RelevanceGate.IsRelevant(Hit(1, "a", "t", fullText: 0.99, vector: null), o));
        Assert.True(RelevanceGate.IsRelevant(Hit(1, "a", "t", fullText: null, vector: 0.5), o));
        Assert.False(RelevanceGate.IsRelevant(Hit(1, "a", "t", fullText: 0.2, vector: 0.49), o));
        Assert.True(RelevanceGate.IsRelevant(Hit(1, "a", "t", fullText: null, vector: null), o)); // fused-only hits pass at 0
    }

    [Fact]
    public async Task AnOversizedBestHitIsCutAtASentenceEndInTokens()
    {
        var text = string.Concat(Enumerable.Repeat("员工每年享有十五天带薪年假。", 40)); // 14 tokens a sentence
        var options = new AnswerOptions { ContextBudget = 100, BudgetUnit = BudgetUnit.Tokens };
        var chat = new ScriptedChatClient("十五天[1]。");
        var answer = await new AnswerComposer(chat, options).AnswerAllAsync("年假几天？", [Hit(1, "手册.docx", text, headings: ["假期"])]);
        var source = Assert.Single(answer.Sources);
        Assert.True(source.Truncated);
        Assert.EndsWith("。", source.PromptText);
        Assert.Equal(0, source.PromptText.Length % 14);
        int cost = TokenEstimate.Count(PromptBuilder.SourceHeader(1, source.Label)) + TokenEstimate.Count("\n\n") + TokenEstimate.Count(source.PromptText);
        Assert.True(cost <= 100, cost.ToString());
        Assert.True(cost > 100 - 14, cost.ToString()); // no room was left for one more sentence
        Assert.Contains("[1] 手册.docx, 假期\n", chat.Calls[0][1].Text);
    }
}

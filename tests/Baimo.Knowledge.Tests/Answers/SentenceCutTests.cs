using Baimo.Knowledge.Answers;

namespace Baimo.Knowledge.Tests.Answers;

public class SentenceCutTests
{
    [Theory]
    [InlineData("One. Two. Three.", 100, "One. Two. Three.")]
    [InlineData("One. Two. Three.", 10, "One. Two.")]
    [InlineData("One. Two. Three.", 8, "One.")]
    [InlineData("Version 1.5 is out. Next.", 14, "Version 1.5…")]
    [InlineData("第一句。第二句！第三句？", 9, "第一句。第二句！")]
    [InlineData("averyveryverylongwordwithoutspaces", 10, "averyvery…")]
    [InlineData("Short", 0, null)]
    public void CutsAtTheLastSentenceEndThatFits(string text, int budget, string? expected) =>
        Assert.Equal(expected, SentenceCut.Fit(text, budget, BudgetUnit.Characters));

    [Theory]
    [InlineData("", 0)]
    [InlineData("abcd", 1)]
    [InlineData("abcde", 2)]
    [InlineData("中文", 2)]
    [InlineData("中文 text", 4)]
    public void TokenEstimates(string text, int tokens) => Assert.Equal(tokens, TokenEstimate.Count(text));

    [Theory]
    [InlineData("How many days of leave?", AnswerLanguage.English)]
    [InlineData("年假有几天？", AnswerLanguage.Chinese)]
    [InlineData("如何配置 Baimo server", AnswerLanguage.Chinese)]
    [InlineData("What does 知识 mean in the docs?", AnswerLanguage.English)]
    public void QuestionLanguages(string question, AnswerLanguage expected) => Assert.Equal(expected, QuestionLanguage.Detect(question));
}

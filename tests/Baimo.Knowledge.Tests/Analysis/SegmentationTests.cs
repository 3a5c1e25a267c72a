using Baimo.Knowledge.Analysis;

namespace Baimo.Knowledge.Tests.Analysis;

public class SegmentationTests
{
    private static IWordSegmenter Icu => IcuWordSegmenter.TryCreate(out var error) ?? throw new InvalidOperationException(error);

    [Fact]
    public void IcuSplitsChineseIntoDictionaryWordsNotCharacters()
    {
        var words = Icu.Segment("北京大学的研究生在学习机器学习").Select(t => t.Text).ToArray();
        Assert.Equal(["北京", "大学", "的", "研究生", "在", "学习", "机器", "学习"], words);
    }

    [Fact]
    public void MixedChineseEnglishAndNumbersKeepTheirOffsets()
    {
        const string text = "我在chatgpt上学习python 3.12，共1949个例子";
        var tokens = Icu.Segment(text);
        Assert.Contains(tokens, t => t.Text == "chatgpt");
        Assert.Contains(tokens, t => t.Text == "python");
        Assert.Contains(tokens, t => t.Text == "3.12");
        Assert.Contains(tokens, t => t.Text == "1949");
        Assert.DoesNotContain(tokens, t => t.Text is "，" or " ");
        foreach (var t in tokens) Assert.Equal(t.Text, text.Substring(t.Start, t.Length));
    }

    [Fact]
    public void FallbackSegmenterSplitsScriptsWithoutADictionary()
    {
        var tokens = new ScriptRunSegmenter().Segment("abc 中文 3.14, don't");
        Assert.Equal(["abc", "中", "文", "3.14", "don't"], tokens.Select(t => t.Text));
        Assert.Equal(4, tokens[1].Start);
    }

    [Fact]
    public void AnalyzerFoldsThenEmitsWordsAndBigrams()
    {
        var analyzer = new TextAnalyzer(Icu, CjkTerms.WordsAndBigrams);
        var terms = analyzer.Terms("北京大學 ＡＰＩ");
        Assert.Equal(["北京", "大学", "api", "北京", "京大", "大学"], terms);
    }

    [Fact]
    public void BigramOnlyAndWordOnlyModes()
    {
        Assert.Equal(["北京", "大学"], new TextAnalyzer(Icu, CjkTerms.Words).Terms("北京大学"));
        Assert.Equal(["x", "北京", "京大", "大学", "好"], new TextAnalyzer(Icu, CjkTerms.Bigrams).Terms("北京大学 x 好"));
    }

    [Fact]
    public void FallbackAnalyzerStillMatchesTheBigramsOfAnIcuIndex()
    {
        var icu = new TextAnalyzer(Icu, CjkTerms.WordsAndBigrams).Terms("北京大学图书馆");
        var fallback = new TextAnalyzer(new ScriptRunSegmenter(), CjkTerms.WordsAndBigrams).Terms("大学图书馆");
        Assert.Contains("图书", fallback);
        Assert.Contains("图书", icu);
    }
}

using Baimo.Knowledge.Analysis;

namespace Baimo.Knowledge.Tests.Analysis;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("ＡＢＣ１２３！", "abc123!")]
    [InlineData("Ｈｅｌｌｏ　Ｗｏｒｌｄ", "hello world")]
    [InlineData("國際機場", "国际机场")]
    [InlineData("臺灣的電腦軟體", "台湾的电脑软体")]
    [InlineData("學習機器學習", "学习机器学习")]
    [InlineData("ÄÖÜ Straße", "äöü straße")]
    [InlineData("中国北京", "中国北京")]
    public void FoldsWidthScriptAndCase(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Fact]
    public void KeepsLengthSoOffsetsStayValid()
    {
        const string s = "Ｔｅｓｔ：國語　ABC😀";
        Assert.Equal(s.Length, TextNormalizer.Normalize(s).Length);
    }

    [Fact]
    public void LeavesWordDependentCharactersAlone()
    {
        // 乾 is 干 in 乾燥 but stays 乾 in 乾隆; folding it either way would merge unrelated words.
        Assert.Equal("乾隆", TextNormalizer.Normalize("乾隆"));
    }

    [Fact]
    public void TraditionalTableParsesCompletely() => Assert.True(ChineseVariants.Count > 900, $"{ChineseVariants.Count} pairs");
}

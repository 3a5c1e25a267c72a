namespace Baimo.Templates.Tests;

/// <summary>Syntax errors with positions, runtime failures, and the limits that stop runaway templates.</summary>
public class ErrorTests
{
    private static TemplateException ParseError(string source) =>
        Assert.ThrowsAny<TemplateException>(() => JinjaTemplate.Parse(source));

    [Theory]
    [InlineData("{% if x %}\nunclosed", 2)]
    [InlineData("line1\nline2 {% frobnicate %}", 2)]
    [InlineData("a\nb\n{{ 1 + }}", 3)]
    [InlineData("{% for x in %}{% endfor %}", 1)]
    [InlineData("{{ 'unterminated }}", 1)]
    [InlineData("{% endif %}", 1)]
    [InlineData("{{ x ) }}", 1)]
    [InlineData("{% break %}", 1)]
    [InlineData("{# never closed", 1)]
    [InlineData("{% include 'other.jinja' %}", 1)]
    public void SyntaxErrorsCarryLineAndColumn(string source, int line)
    {
        var ex = ParseError(source);
        Assert.IsType<TemplateSyntaxException>(ex);
        Assert.Equal(line, ex.Line);
        Assert.True(ex.Column >= 1);
        Assert.Contains($"line {line}", ex.Message);
    }

    [Fact]
    public void ColumnPointsAtTheOffendingTag()
    {
        var ex = ParseError("ab {% nope %}");
        Assert.Equal(1, ex.Line);
        Assert.Equal(7, ex.Column);
    }

    [Fact]
    public void RuntimeErrorsReportTheStatementLine()
    {
        var t = JinjaTemplate.Parse("first\n{% set x = 1 %}\n  {{ 'a' + x }}");
        var ex = Assert.ThrowsAny<TemplateException>(() => t.Render());
        Assert.Equal(3, ex.Line);
        Assert.Contains("can only concatenate str", ex.Reason);
    }

    [Fact]
    public void UndefinedAttributeOfUndefinedFailsWithItsName()
    {
        var ex = Assert.ThrowsAny<TemplateException>(() => JinjaTemplate.Parse("{{ foo.bar }}").Render());
        Assert.Contains("'foo' is undefined", ex.Reason);
    }

    [Fact]
    public void InfiniteRecursionHitsTheCallDepthLimit()
    {
        var t = JinjaTemplate.Parse("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
        var ex = Assert.Throws<TemplateLimitException>(() => t.Render());
        Assert.Contains("nested calls", ex.Message);
    }

    [Fact]
    public void LongLoopsHitTheStepLimit()
    {
        var t = JinjaTemplate.Parse("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}");
        var ex = Assert.Throws<TemplateLimitException>(() => t.Render(new Dictionary<string, object?>(), new TemplateOptions { MaxSteps = 10_000 }));
        Assert.Contains("steps", ex.Message);
    }

    [Fact]
    public void HugeOutputHitsTheOutputLimit()
    {
        var t = JinjaTemplate.Parse("{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}");
        Assert.Throws<TemplateLimitException>(() => t.Render(new Dictionary<string, object?>(), new TemplateOptions { MaxOutputLength = 100_000 }));
        Assert.Throws<TemplateLimitException>(() => JinjaTemplate.Parse("{{ 'x' * 1000000000 }}").Render());
    }

    [Fact]
    public void DeeplyNestedExpressionsFailCleanly()
    {
        var source = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";
        var ex = Record.Exception(() => JinjaTemplate.Parse(source).Render());
        Assert.True(ex is null or TemplateException);
    }

    [Fact]
    public void CallingANonCallableIsATypeError()
    {
        var ex = Assert.ThrowsAny<TemplateException>(() => JinjaTemplate.Parse("{{ 'abc'() }}").Render());
        Assert.Contains("not callable", ex.Reason);
    }

    [Fact]
    public void UnknownFiltersAndTestsAreRefused()
    {
        Assert.ThrowsAny<TemplateException>(() => JinjaTemplate.Parse("{{ 1|nosuchfilter }}").Render());
        Assert.ThrowsAny<TemplateException>(() => JinjaTemplate.Parse("{{ 1 is nosuchtest }}").Render());
    }
}

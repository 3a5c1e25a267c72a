using System.Text.Json;

namespace Baimo.Templates.Tests;

/// <summary>
/// Small templates exercising one feature each (expressions, filters, tests, methods, loops, macros,
/// whitespace control, undefined handling), with the output Python Jinja2 produced for them in Hugging
/// Face's configuration, stored beside the tests in jinja-reference-cases.json.
/// </summary>
public class ReferenceCaseTests
{
    private static readonly Lazy<JsonDocument> Data = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "jinja-reference-cases.json"))));

    public static TheoryData<int> Indices()
    {
        var data = new TheoryData<int>();
        var n = Data.Value.RootElement.GetProperty("cases").GetArrayLength();
        for (var i = 0; i < n; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void MatchesJinja2(int index)
    {
        var root = Data.Value.RootElement;
        var c = root.GetProperty("cases")[index];
        var source = c.GetProperty("template").GetString()!;
        var variables = root.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        var options = new TemplateOptions { Now = () => new DateTime(2026, 11, 23, 9, 30, 0) };

        if (c.TryGetProperty("text", out var text))
        {
            var actual = JinjaTemplate.Parse(source).Render(variables, options);
            Assert.True(text.GetString() == actual, $"template:\n{source}\nexpected:\n{text.GetString()}\nactual:\n{actual}");
        }
        else
        {
            var ex = Assert.ThrowsAny<TemplateException>(() => JinjaTemplate.Parse(source).Render(variables, options));
            Assert.False(string.IsNullOrEmpty(ex.Message), c.GetProperty("error").GetString());
        }
    }
}

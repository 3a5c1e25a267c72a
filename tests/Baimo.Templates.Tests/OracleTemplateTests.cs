using System.Text.Json;
using Baimo.Testing;

namespace Baimo.Templates.Tests;

/// <summary>
/// Every shipped chat template × every conversation in expected.json, rendered as Python Jinja2 did:
/// identical text, or a refusal where the reference raised.
/// </summary>
public class OracleTemplateTests
{
    private static readonly Lazy<JsonDocument> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Oracle.Path("templates", "expected.json"))));

    private static readonly DateTime FixedNow = new(2026, 11, 23, 9, 30, 0);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in Expected.Value.RootElement.GetProperty("results").EnumerateObject())
            foreach (var c in template.Value.EnumerateObject())
                data.Add(template.Name, c.Name);
        return data;
    }

    [Fact]
    public void TheReferenceCoversEveryTemplateFile()
    {
        var files = Directory.GetFiles(Oracle.Path("templates"), "*.jinja").Select(Path.GetFileName).Order().ToArray();
        var listed = Expected.Value.RootElement.GetProperty("results").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(files, listed);
        Assert.True(files.Length >= 24);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RendersAsTheReference(string templateName, string caseName) =>
        AssertCase(Expected.Value.RootElement, templateName, caseName);

    /// <summary>Renders one case of a results table shaped as expected.json and compares with the reference.</summary>
    internal static void AssertCase(JsonElement root, string templateName, string caseName)
    {
        var conversation = root.GetProperty("cases").GetProperty(caseName);
        var expected = root.GetProperty("results").GetProperty(templateName).GetProperty(caseName);
        var template = new ChatTemplate(File.ReadAllText(Oracle.Path("templates", templateName)));

        var variables = new Dictionary<string, object?>
        {
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
        };
        foreach (var p in conversation.EnumerateObject()) variables[p.Name] = p.Value;
        var options = new TemplateOptions { Now = () => FixedNow };

        if (expected.TryGetProperty("text", out var text))
        {
            Assert.Equal(text.GetString(), template.Template.Render(variables, options));
        }
        else
        {
            var error = expected.GetProperty("error").GetString();
            var ex = Assert.ThrowsAny<TemplateException>(() => template.Template.Render(variables, options));
            Assert.False(string.IsNullOrEmpty(ex.Message), $"reference raised {error}");
            Assert.Equal(error!.StartsWith("TemplateError: ", StringComparison.Ordinal), ex is TemplateRaisedException);
        }
    }
}

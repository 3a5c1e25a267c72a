using System.Text.Json;

namespace Baimo.Templates.Tests;

/// <summary>
/// The shipped chat templates on harder conversations (rich tool schemas with enums, arrays, nested objects
/// and oneOf; reasoning history; string tool arguments; whitespace and escapes; enable_thinking; no
/// messages), with Python Jinja2's output recorded in template-extra-cases.json.
/// </summary>
public class ExtraTemplateCaseTests
{
    private static readonly Lazy<JsonDocument> Data = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "template-extra-cases.json"))));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in Data.Value.RootElement.GetProperty("results").EnumerateObject())
            foreach (var c in template.Value.EnumerateObject())
                data.Add(template.Name, c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RendersAsTheReference(string templateName, string caseName) =>
        OracleTemplateTests.AssertCase(Data.Value.RootElement, templateName, caseName);
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baimo.Templates.Tests;

/// <summary>The public surface: parsing, variable forms, ChatTemplate, refusals and options.</summary>
public class ApiTests
{
    private static string Render(string source, object? vars = null) =>
        JinjaTemplate.Parse(source).Render(vars is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["v"] = vars });

    [Fact]
    public void PlainDotNetValuesBecomePythonValues()
    {
        var vars = new Dictionary<string, object?>
        {
            ["i"] = 3,
            ["l"] = 4L,
            ["f"] = 1.5f,
            ["m"] = 2.0m,
            ["b"] = true,
            ["n"] = null,
            ["list"] = new[] { 1, 2 },
            ["dict"] = new Dictionary<string, object?> { ["k"] = "v" },
            ["obj"] = new { Name = "x", Count = 2 },
        };
        var text = JinjaTemplate.Parse("{{ i + l }}|{{ f }}|{{ m }}|{{ b }}|{{ n }}|{{ list }}|{{ dict }}|{{ obj.Name }}{{ obj.Count }}").Render(vars);
        Assert.Equal("7|1.5|2|True|None|[1, 2]|{'k': 'v'}|x2", text);
    }

    [Fact]
    public void JsonElementAndJsonNodeAreAccepted()
    {
        var element = JsonDocument.Parse("""{"a": [1, 2.0, "x", true, null], "b": {"c": 1}}""").RootElement;
        Assert.Equal("[1, 2.0, 'x', True, None]|1", Render("{{ v.a }}|{{ v.b.c }}", element));
        var node = JsonNode.Parse("""{"a": [1, 2.5], "s": "é"}""");
        Assert.Equal("[1, 2.5]|é|{\"a\": [1, 2.5], \"s\": \"é\"}", Render("{{ v.a }}|{{ v.s }}|{{ v|tojson }}", node));
    }

    [Fact]
    public void ChatTemplateRendersAConversation()
    {
        var template = new ChatTemplate(
            "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{{ eos_token }}{% endfor %}" +
            "{% if tools is defined %}T{{ tools|length }}{% endif %}{% if add_generation_prompt %}<assistant>{% endif %}{{ extra }}");
        var messages = new[]
        {
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "hi" },
            new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "yo" },
        };
        Assert.Equal("<s><user>hi</s><assistant>yo</s><assistant>",
            template.Render(messages, bosToken: "<s>", eosToken: "</s>"));
        Assert.Equal("<user>hi<assistant>yoT1!",
            template.Render(messages, tools: new[] { new { type = "function" } }, addGenerationPrompt: false,
                extraVariables: new Dictionary<string, object?> { ["extra"] = "!" }));
    }

    [Fact]
    public void RaiseExceptionRefusesWithTheTemplatesMessage()
    {
        var ex = Assert.Throws<TemplateRaisedException>(() => Render("a{{ raise_exception('roles must alternate') }}"));
        Assert.Equal("roles must alternate", ex.Reason);
    }

    [Fact]
    public void StrftimeNowReadsTheConfiguredClock()
    {
        var options = new TemplateOptions { Now = () => new DateTime(2024, 7, 26, 14, 5, 9) };
        var text = JinjaTemplate.Parse("""{{ strftime_now("%d %b %Y") }}|{{ strftime_now("%-d %B %Y %H:%M:%S %A %I%p") }}""")
            .Render(new Dictionary<string, object?>(), options);
        Assert.Equal("26 Jul 2024|26 July 2024 14:05:09 Friday 02PM", text);
    }

    [Fact]
    public void MutatingMethodsAreRefusedByDefaultAndAllowedOnRequest()
    {
        const string source = "{% set l = [1] %}{{ l.append(2) }}{{ l }}{% set d = {} %}{{ d.update({'a': 1}) }}{{ d }}";
        Assert.ThrowsAny<TemplateException>(() => Render(source));
        var text = JinjaTemplate.Parse(source).Render(new Dictionary<string, object?>(), new TemplateOptions { ImmutableCollections = false });
        Assert.Equal("None[1, 2]None{'a': 1}", text);
    }

    [Fact]
    public void CallersCollectionsAreNotModified()
    {
        var list = new List<object?> { 1 };
        var t = JinjaTemplate.Parse("{% set x = v.append(2) %}{{ v }}");
        Assert.Equal("[1, 2]", t.Render(new Dictionary<string, object?> { ["v"] = list }, new TemplateOptions { ImmutableCollections = false }));
        Assert.Single(list);
    }

    [Fact]
    public void AParsedTemplateRendersConcurrently()
    {
        var t = JinjaTemplate.Parse("{% for i in range(n) %}{{ i }}{% endfor %}");
        Parallel.For(0, 64, i =>
        {
            var expected = string.Concat(Enumerable.Range(0, i % 10));
            Assert.Equal(expected, t.Render(new Dictionary<string, object?> { ["n"] = i % 10 }));
        });
    }

    [Fact]
    public void RenderWithoutVariablesSeesOnlyGlobals()
    {
        Assert.Equal("[0, 1]|", JinjaTemplate.Parse("{{ range(2)|list }}|{{ messages }}").Render());
    }
}

namespace Baimo.Templates.Tests;

/// <summary>Named checks of the engine's Jinja2 behaviour; expected strings are what Python Jinja2 renders.</summary>
public class FeatureTests
{
    private static string R(string source) => JinjaTemplate.Parse(source).Render();

    [Theory]
    [InlineData("a  {{- 'b' -}}  c", "abc")]
    [InlineData("x\n  {% if true %}\n  y\n  {% endif %}\nz", "x\n  y\nz")]
    [InlineData("x {% if true %}y{% endif %}\nz", "x yz")]
    [InlineData("{% if true %}\ny{% endif %}", "y")]
    [InlineData("  {%+ if true %}y{% endif %}", "  y")]
    [InlineData("{% if true +%}\ny{% endif %}", "\ny")]
    [InlineData("{{ 'a' }}\nb", "a\nb")]
    [InlineData("a\n  {# note #}\nb", "a\nb")]
    [InlineData("a\n", "a")]
    [InlineData("a\r\nb\r\n", "a\nb")]
    public void WhitespaceControlTrimAndLstripBlocks(string source, string expected) => Assert.Equal(expected, R(source));

    [Fact]
    public void LoopVariables() =>
        Assert.Equal("102TrueFalse2 211FalseTrue2 ",
            R("{% for x in 'ab' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }}{{ loop.length }} {% endfor %}"));

    [Fact]
    public void LoopScopeNeedsANamespaceToCarryState()
    {
        Assert.Equal("6", R("{% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"));
        Assert.Equal("0", R("{% set n = 0 %}{% for i in [1, 2, 3] %}{% set n = n + i %}{% endfor %}{{ n }}"));
    }

    [Theory]
    [InlineData("{{ x }}|{{ x is defined }}|{{ x|default('d') }}|{{ x|length }}|{{ not x }}", "|False|d|0|True")]
    [InlineData("{{ {'a': 1}.b is defined }}|{{ none.b is defined }}|{{ [1][3] is defined }}", "False|False|False")]
    [InlineData("{% for i in x %}no{% else %}empty{% endfor %}", "empty")]
    public void UndefinedIsFalsyEmptyAndTestable(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ x.y }}")]
    [InlineData("{{ x + 1 }}")]
    [InlineData("{{ x|tojson }}")]
    [InlineData("{{ x() }}")]
    public void UsingUndefinedFails(string source) => Assert.ThrowsAny<TemplateException>(() => R(source));

    [Theory]
    [InlineData("{{ [1, 'a', none, true, 1.0] }}", "[1, 'a', None, True, 1.0]")]
    [InlineData("{{ {'k': (1,)} }}", "{'k': (1,)}")]
    [InlineData("{{ [\"it's\"] }}", "[\"it's\"]")]
    [InlineData("{{ 1e-5 }}|{{ 1e16 }}|{{ 0.1 + 0.2 }}|{{ 10 / 4 }}|{{ 4 / 2 }}", "1e-05|1e+16|0.30000000000000004|2.5|2.0")]
    public void ValuesPrintAsPythonStr(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ {'a': [1, 2]}|tojson }}", "{\"a\": [1, 2]}")]
    [InlineData("{{ {'a': [1, 2]}|tojson(indent=2) }}", "{\n  \"a\": [\n    1,\n    2\n  ]\n}")]
    [InlineData("{{ '中文 \"q\"'|tojson }}", "\"中文 \\\"q\\\"\"")]
    [InlineData("{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}", "{\"a\": 2, \"b\": 1}")]
    public void ToJsonFollowsPythonJsonDumps(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ '  a  '|trim }}|{{ 'ab'|upper }}|{{ 'hello world'|title }}|{{ 'aBC'|capitalize }}", "a|AB|Hello World|Abc")]
    [InlineData("{{ [3, 1, 2]|sort|join(',') }}|{{ [1, 2, 3]|reverse|list }}|{{ [1, 1, 2]|unique|list }}", "1,2,3|[3, 2, 1]|[1, 2]")]
    [InlineData("{{ [{'r': 'u'}, {'r': 'a'}]|selectattr('r', 'equalto', 'a')|list }}", "[{'r': 'a'}]")]
    [InlineData("{{ [{'r': 'u'}, {'r': 'a'}]|map(attribute='r')|join }}", "ua")]
    [InlineData("{{ 'a\nb'|indent(2) }}|{{ 'a\nb'|indent(2, first=true) }}", "a\n  b|  a\n  b")]
    [InlineData("{{ {'b': 1, 'a': 2}|dictsort }}|{{ {'a': 1}|items|list }}", "[('a', 2), ('b', 1)]|[('a', 1)]")]
    public void Filters(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ ' x '.strip() }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'ab'.startswith('a') }}|{{ '{}-{}'.format(1, 2) }}", "x|['a', 'b,c']|True|1-2")]
    [InlineData("{{ 'x</think>y'.split('</think>')[-1] }}|{{ '\\n\\nz'.lstrip('\\n') }}", "y|z")]
    [InlineData("{{ {'a': 1}.get('a') }}|{{ {'a': 1}.get('b', 2) }}|{{ {'a': 1}.items()|list }}", "1|2|[('a', 1)]")]
    public void PythonMethods(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{% macro m(a, b='B') %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}{{ m(1, b=2) }}", "1B12")]
    [InlineData("{% macro w() %}[{{ caller() }}]{% endmacro %}{% call w() %}in{% endcall %}", "[in]")]
    [InlineData("{% for i in range(9) %}{% if i is odd %}{% continue %}{% endif %}{% if i > 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", "024")]
    [InlineData("{% set b %}x{{ 1 }}{% endset %}{{ b }}|{% filter upper %}u{% endfilter %}|{% raw %}{{ r }}{% endraw %}", "x1|U|{{ r }}")]
    [InlineData("{% for k, v in {'a': 1, 'b': 2}.items() if v > 1 %}{{ k }}{{ loop.index }}{% endfor %}", "b1")]
    [InlineData("{% for m in [1, 2, 3][::-1] %}{{ m }}{% endfor %}", "321")]
    public void Statements(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ 5 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 'a' is string }}{{ 1 is number }}{{ {} is mapping }}", "TrueTrueTrueTrueTrueTrue")]
    [InlineData("{{ 'x' is iterable }}{{ 1 is iterable }}{{ none is none }}{{ 1.5 is float }}{{ 1 is integer }}{{ true is boolean }}", "TrueFalseTrueTrueTrueTrue")]
    public void Tests(string source, string expected) => Assert.Equal(expected, R(source));
}

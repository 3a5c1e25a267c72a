using Baimo.Templates.Builtins;
using Baimo.Templates.Lexing;
using Baimo.Templates.Parsing;
using Baimo.Templates.Runtime;

namespace Baimo.Templates;

/// <summary>
/// A parsed Jinja template, rendered with Python Jinja2 semantics as Hugging Face's
/// <c>apply_chat_template</c> configures it: sandboxed, trim_blocks, lstrip_blocks, break/continue,
/// <c>tojson</c> without ASCII escaping, <c>raise_exception</c> and <c>strftime_now</c>.
/// A parsed template is immutable and may be rendered concurrently.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly SourceText _source;
    private readonly Stmt[] _body;

    private JinjaTemplate(string source, SourceText text, Stmt[] body)
    {
        Source = source;
        _source = text;
        _body = body;
    }

    /// <summary>The template text as given.</summary>
    public string Source { get; }

    /// <summary>Parses <paramref name="source"/>; syntax errors throw <see cref="TemplateSyntaxException"/> with line and column.</summary>
    public static JinjaTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = new SourceText(source);
        return new JinjaTemplate(source, text, Parser.Parse(text));
    }

    /// <summary>
    /// Renders with <paramref name="variables"/>: strings, booleans, integers, floating-point numbers, lists,
    /// dictionaries (string keys), null, plain objects (their public properties), and System.Text.Json
    /// <c>JsonElement</c>/<c>JsonNode</c> values. Throws <see cref="TemplateException"/> when the template refuses
    /// (<see cref="TemplateRaisedException"/> for <c>raise_exception</c>) or fails like Jinja2 would.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, object?> variables, TemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        options ??= TemplateOptions.Default;
        var context = new Scope(Globals.Create());
        foreach (var kv in variables) context.Set(kv.Key, ValueConverter.FromDotNet(kv.Value));
        var interpreter = new Interpreter(_source, options);
        try
        {
            return interpreter.Render(_body, new Scope(context));
        }
        catch (TemplateException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException or InvalidOperationException
                                       or IndexOutOfRangeException or NullReferenceException or OverflowException
                                       or FormatException or KeyNotFoundException)
        {
            throw new TemplateException($"template failed: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Renders with no variables beyond the globals.</summary>
    public string Render() => Render(new Dictionary<string, object?>());
}

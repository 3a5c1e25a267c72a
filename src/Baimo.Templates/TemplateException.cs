namespace Baimo.Templates;

/// <summary>
/// A template could not be parsed or refused to render. <see cref="Line"/> and <see cref="Column"/> are
/// 1-based positions in the template source, or 0 when the position is unknown.
/// </summary>
public class TemplateException : Exception
{
    public TemplateException(string message, int line = 0, int column = 0, Exception? inner = null)
        : base(message, inner)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the offending construct, 0 when unknown.</summary>
    public int Line { get; internal set; }

    /// <summary>1-based column of the offending construct, 0 when unknown.</summary>
    public int Column { get; internal set; }

    /// <summary>The message without the position suffix.</summary>
    public string Reason => base.Message;

    public override string Message => Line > 0 ? $"{base.Message} (line {Line}, column {Column})" : base.Message;
}

/// <summary>The template source is not valid Jinja.</summary>
public sealed class TemplateSyntaxException(string message, int line, int column)
    : TemplateException(message, line, column);

/// <summary>The template itself refused to render by calling <c>raise_exception(message)</c>.</summary>
public sealed class TemplateRaisedException(string message) : TemplateException(message);

/// <summary>Rendering ran past a configured limit (steps, call depth, output size).</summary>
public sealed class TemplateLimitException(string message) : TemplateException(message);

using System.Globalization;
using System.Text;

namespace Baimo.Templates.Runtime;

/// <summary>Python's <c>str()</c> and <c>repr()</c> of template values.</summary>
internal static class PyFormat
{
    /// <summary>Python's type name of a value, for error messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        string => "str",
        Markup => "Markup",
        bool => "bool",
        long => "int",
        double => "float",
        List<object?> => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        Undefined => "Undefined",
        PyNamespace => "Namespace",
        PyGenerator g => g.Kind,
        PyView v => v.Kind,
        Macro => "Macro",
        LoopContext => "LoopContext",
        BoundMethod => "builtin_function_or_method",
        ICallable => "function",
        _ => value.GetType().Name,
    };

    /// <summary>Python's <c>str(value)</c> (what <c>{{ value }}</c> prints).</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        Markup m => m.Value,
        Undefined => "",
        _ => Repr(value),
    };

    /// <summary>Python's <c>repr(value)</c>.</summary>
    public static string Repr(object? value)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value, 0);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? value, int depth)
    {
        if (depth > 200) throw new TemplateException("RecursionError: value nested too deeply to print");
        switch (value)
        {
            case null: sb.Append("None"); break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(Float(d)); break;
            case string s: AppendStringRepr(sb, s); break;
            case Markup m: sb.Append("Markup("); AppendStringRepr(sb, m.Value); sb.Append(')'); break;
            case Undefined: sb.Append("Undefined"); break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    AppendRepr(sb, list[i], depth + 1);
                }
                sb.Append(']');
                break;
            case PyTuple t:
                sb.Append('(');
                for (var i = 0; i < t.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    AppendRepr(sb, t[i], depth + 1);
                }
                if (t.Count == 1) sb.Append(',');
                sb.Append(')');
                break;
            case PyDict dict:
                sb.Append('{');
                var first = true;
                foreach (var kv in dict)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    AppendRepr(sb, kv.Key, depth + 1);
                    sb.Append(": ");
                    AppendRepr(sb, kv.Value, depth + 1);
                }
                sb.Append('}');
                break;
            case PyNamespace ns:
                sb.Append("<Namespace {");
                var firstAttr = true;
                foreach (var kv in ns.Attributes)
                {
                    if (!firstAttr) sb.Append(", ");
                    firstAttr = false;
                    AppendStringRepr(sb, kv.Key);
                    sb.Append(": ");
                    AppendRepr(sb, kv.Value, depth + 1);
                }
                sb.Append("}>");
                break;
            case PyGenerator g: sb.Append("<").Append(g.Kind).Append(" object>"); break;
            case PyView v:
                sb.Append(v.Kind).Append('(');
                AppendRepr(sb, v.Items, depth + 1);
                sb.Append(')');
                break;
            case Macro m: sb.Append("<Macro '").Append(m.Name).Append("'>"); break;
            case BoundMethod bm: sb.Append("<built-in method ").Append(bm.Name).Append(" of ").Append(TypeName(bm.Receiver)).Append(" object>"); break;
            case ICallable c: sb.Append("<function ").Append(c.Name).Append('>'); break;
            case LoopContext loop: sb.Append("<LoopContext ").Append(loop.Index).Append('/').Append(loop.Length).Append('>'); break;
            default: sb.Append(value); break;
        }
    }

    /// <summary>Python's repr of a str: single quotes unless the text holds one and no double quote.</summary>
    public static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == quote || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else if (c >= 0x80 && !IsPrintable(c))
            {
                if (c <= 0xff) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else sb.Append(c);
        }
        sb.Append(quote);
    }

    private static bool IsPrintable(char c)
    {
        var cat = char.GetUnicodeCategory(c);
        return cat is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator)
            && (cat != UnicodeCategory.SpaceSeparator || c == ' ');
    }

    /// <summary>Python's repr of a float: shortest round-trip digits, <c>1.0</c>, <c>1e-05</c>, <c>inf</c>.</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        // Shortest round-trip digits and decimal exponent.
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        if (negative) shortest = shortest[1..];
        string mantissa;
        int exp;
        var ePos = shortest.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            mantissa = shortest[..ePos];
            exp = int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = shortest;
            exp = 0;
        }
        var dot = mantissa.IndexOf('.');
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        // value = 0.digits * 10^decpt
        var decpt = intPart.Length + exp - leadingZeros;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        if (decpt > 16 || decpt < -3)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            var e = decpt - 1;
            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (decpt <= 0)
        {
            sb.Append("0.").Append('0', -decpt).Append(digits);
        }
        else if (digits.Length <= decpt)
        {
            sb.Append(digits).Append('0', decpt - digits.Length).Append(".0");
        }
        else
        {
            sb.Append(digits, 0, decpt).Append('.').Append(digits, decpt, digits.Length - decpt);
        }
        return sb.ToString();
    }
}

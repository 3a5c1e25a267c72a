using System.Globalization;
using System.Text;

namespace Baimo.Templates.Runtime;

/// <summary>Python's printf-style <c>'%s' % args</c> and <c>str.format</c>, for the common conversions.</summary>
internal static class PercentFormat
{
    public static string Format(string format, object? args)
    {
        var positional = args is PyTuple t ? t.Items : [args];
        var mapping = args as PyDict;
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= format.Length) throw new TemplateException("ValueError: incomplete format");
            object? value;
            if (format[i] == '(')
            {
                var close = format.IndexOf(')', i);
                if (close < 0 || mapping is null) throw new TemplateException("TypeError: format requires a mapping");
                var key = format[(i + 1)..close];
                mapping.TryGetValue(key, out value);
                i = close + 1;
                value ??= mapping.ContainsKey(key) ? null : throw new TemplateException($"KeyError: '{key}'");
                next = -1;
            }
            else value = null;
            var specStart = i;
            while (i < format.Length && "-+ #0123456789.".Contains(format[i])) i++;
            if (i >= format.Length) throw new TemplateException("ValueError: incomplete format");
            var spec = format[specStart..i];
            var conv = format[i];
            if (conv == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= 0)
            {
                if (next >= positional.Length) throw new TemplateException("TypeError: not enough arguments for format string");
                value = positional[next++];
            }
            sb.Append(Pad(Convert(conv, spec, value), spec));
        }
        if (next >= 0 && next < positional.Length && args is PyTuple)
            throw new TemplateException("TypeError: not all arguments converted during string formatting");
        return sb.ToString();
    }

    private static string Convert(char conv, string spec, object? value)
    {
        var dot = spec.IndexOf('.');
        int? precision = dot >= 0 ? int.Parse("0" + spec[(dot + 1)..], CultureInfo.InvariantCulture) : null;
        switch (conv)
        {
            case 's': return PyFormat.Str(value);
            case 'r': case 'a': return PyFormat.Repr(value);
            case 'd': case 'i': case 'u':
                return PyOps.IsNumber(value) ? PyOps.FormatInt(PyOps.ToLong(value)) : throw PyOps.TypeError($"%{conv} format: a real number is required, not {PyFormat.TypeName(value)}");
            case 'f': case 'F':
                return PyOps.ToDouble(value).ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture);
            case 'e': case 'E':
                return ExpFormat(PyOps.ToDouble(value), precision ?? 6, conv);
            case 'g': case 'G':
                return PyOps.ToDouble(value).ToString("G" + (precision ?? 6), CultureInfo.InvariantCulture);
            case 'x': return PyOps.ToLong(value).ToString("x", CultureInfo.InvariantCulture);
            case 'X': return PyOps.ToLong(value).ToString("X", CultureInfo.InvariantCulture);
            case 'o': return System.Convert.ToString(PyOps.ToLong(value), 8);
            case 'c': return value is long l ? char.ConvertFromUtf32((int)l) : PyFormat.Str(value);
            default: throw new TemplateException($"ValueError: unsupported format character '{conv}'");
        }
    }

    private static string ExpFormat(double d, int precision, char conv)
    {
        var s = d.ToString((conv == 'e' ? "e" : "E") + precision, CultureInfo.InvariantCulture);
        // .NET writes e+006; Python writes e+06.
        var e = s.IndexOfAny(['e', 'E']);
        var exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return s[..(e + 1)] + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string Pad(string s, string spec)
    {
        var left = spec.Contains('-');
        var zero = spec.StartsWith('0') || spec.Contains("+0") || spec.Contains(" 0");
        var digits = new string(spec.TakeWhile(ch => !char.IsDigit(ch) || ch == '0').ToArray());
        var widthText = new string(spec[digits.Length..].TakeWhile(char.IsDigit).ToArray());
        if (widthText.Length == 0) return s;
        var width = int.Parse(widthText, CultureInfo.InvariantCulture);
        if (s.Length >= width) return s;
        if (left) return s.PadRight(width);
        if (zero && s.Length > 0 && (s[0] == '-' || s[0] == '+')) return s[0] + s[1..].PadLeft(width - 1, '0');
        return s.PadLeft(width, zero ? '0' : ' ');
    }

    /// <summary>Python's <c>str.format(*args, **kwargs)</c>: fields <c>{}</c>, <c>{0}</c>, <c>{name}</c>, <c>{x.attr}</c>, <c>{x[0]}</c>, with simple specs.</summary>
    public static string StrFormat(Interpreter interp, string format, CallArgs args)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}') { sb.Append('}'); i++; continue; }
                throw new TemplateException("ValueError: Single '}' encountered in format string");
            }
            if (c != '{') { sb.Append(c); continue; }
            if (i + 1 < format.Length && format[i + 1] == '{') { sb.Append('{'); i++; continue; }
            var close = format.IndexOf('}', i);
            if (close < 0) throw new TemplateException("ValueError: Single '{' encountered in format string");
            var field = format[(i + 1)..close];
            i = close;
            string? spec = null, conversion = null;
            var colon = field.IndexOf(':');
            if (colon >= 0) { spec = field[(colon + 1)..]; field = field[..colon]; }
            var bang = field.IndexOf('!');
            if (bang >= 0) { conversion = field[(bang + 1)..]; field = field[..bang]; }
            var nameEnd = field.IndexOfAny(['.', '[']);
            var head = nameEnd >= 0 ? field[..nameEnd] : field;
            object? value;
            if (head.Length == 0) value = GetPositional(args, auto++);
            else if (long.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out var idx)) value = GetPositional(args, (int)idx);
            else
            {
                var kw = args.Keywords.FirstOrDefault(k => k.Key == head);
                if (kw.Key is null) throw new TemplateException($"KeyError: '{head}'");
                value = kw.Value;
            }
            var rest = nameEnd >= 0 ? field[nameEnd..] : "";
            while (rest.Length > 0)
            {
                if (rest[0] == '.')
                {
                    var end = rest.IndexOfAny(['.', '['], 1);
                    var attr = end < 0 ? rest[1..] : rest[1..end];
                    value = interp.GetAttribute(value, attr);
                    rest = end < 0 ? "" : rest[end..];
                }
                else
                {
                    var end = rest.IndexOf(']');
                    var key = rest[1..end];
                    value = interp.GetItem(value, long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : key);
                    rest = rest[(end + 1)..];
                }
            }
            var text = conversion switch
            {
                "r" or "a" => PyFormat.Repr(value),
                "s" => PyFormat.Str(value),
                _ => null,
            };
            sb.Append(text is not null ? ApplySpec(text, spec) : FormatValue(value, spec));
        }
        return sb.ToString();
    }

    private static object? GetPositional(CallArgs args, int index) =>
        index < args.Positional.Count ? args.Positional[index] : throw new TemplateException($"IndexError: Replacement index {index} out of range for positional args tuple");

    private static string FormatValue(object? value, string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return PyFormat.Str(value);
        var type = spec[^1];
        if (PyOps.IsNumber(value) && "dfeEgGxXobn%".Contains(type))
        {
            var body = spec[..^1];
            var dot = body.IndexOf('.');
            var precision = dot >= 0 ? int.Parse(body[(dot + 1)..], CultureInfo.InvariantCulture) : (int?)null;
            if (dot >= 0) body = body[..dot];
            var text = type switch
            {
                'd' or 'n' => PyOps.FormatInt(PyOps.ToLong(value)),
                'f' or 'F' => PyOps.ToDouble(value).ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture),
                'e' or 'E' => ExpFormat(PyOps.ToDouble(value), precision ?? 6, type),
                '%' => (PyOps.ToDouble(value) * 100).ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture) + "%",
                'x' => PyOps.ToLong(value).ToString("x", CultureInfo.InvariantCulture),
                'X' => PyOps.ToLong(value).ToString("X", CultureInfo.InvariantCulture),
                'o' => System.Convert.ToString(PyOps.ToLong(value), 8),
                'b' => System.Convert.ToString(PyOps.ToLong(value), 2),
                _ => PyOps.ToDouble(value).ToString("G" + (precision ?? 6), CultureInfo.InvariantCulture),
            };
            return ApplySpec(text, body, numeric: true);
        }
        return ApplySpec(PyFormat.Str(value), spec, PyOps.IsNumber(value));
    }

    /// <summary>Fill, alignment and width of a format spec such as <c>&gt;10</c>, <c>*^20</c>, <c>08</c>.</summary>
    private static string ApplySpec(string text, string? spec, bool numeric = false)
    {
        if (string.IsNullOrEmpty(spec)) return text;
        var fill = ' ';
        var align = numeric ? '>' : '<';
        var i = 0;
        if (spec.Length >= 2 && spec[1] is '<' or '>' or '^' or '=') { fill = spec[0]; align = spec[1]; i = 2; }
        else if (spec[0] is '<' or '>' or '^' or '=') { align = spec[0]; i = 1; }
        if (i < spec.Length && spec[i] == '0' && i == 0) { fill = '0'; align = '='; i++; }
        var widthText = new string(spec[i..].TakeWhile(char.IsDigit).ToArray());
        if (widthText.Length == 0) return text;
        var width = int.Parse(widthText, CultureInfo.InvariantCulture);
        var len = PyStrings.Length(text);
        if (len >= width) return text;
        var pad = width - len;
        return align switch
        {
            '<' => text + new string(fill, pad),
            '^' => new string(fill, pad / 2) + text + new string(fill, pad - pad / 2),
            '=' when text.Length > 0 && text[0] is '-' or '+' => text[0] + new string(fill, pad) + text[1..],
            _ => new string(fill, pad) + text,
        };
    }
}

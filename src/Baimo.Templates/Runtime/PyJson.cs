using System.Globalization;
using System.Text;

namespace Baimo.Templates.Runtime;

/// <summary>Python's <c>json.dumps</c>, as Hugging Face's <c>tojson</c> filter calls it.</summary>
internal static class PyJson
{
    public sealed record Options(bool EnsureAscii, string? Indent, string ItemSeparator, string KeySeparator, bool SortKeys);

    /// <summary>Options from json.dumps arguments: indent (int or str), separators, sort_keys.</summary>
    public static Options MakeOptions(bool ensureAscii, object? indent, object? separators, bool sortKeys)
    {
        string? indentText = indent switch
        {
            null or Undefined => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            bool b => b ? " " : "",
            string s => s,
            Markup m => m.Value,
            _ => throw PyOps.TypeError($"indent must be an int or str, not {PyFormat.TypeName(indent)}"),
        };
        string item = indentText is null ? ", " : ",", key = ": ";
        if (separators is not null and not Undefined)
        {
            var parts = PyOps.ToList(separators);
            if (parts.Count != 2 || !PyOps.TryString(parts[0], out item) || !PyOps.TryString(parts[1], out key))
                throw new TemplateException("ValueError: separators must be a pair of strings");
        }
        return new Options(ensureAscii, indentText, item, key, sortKeys);
    }

    public static string Dumps(object? value, Options options)
    {
        var sb = new StringBuilder();
        Write(sb, value, options, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, Options o, int level)
    {
        if (level > 500) throw new TemplateException("RecursionError: maximum recursion depth exceeded while encoding a JSON object");
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFormat.Float(d));
                break;
            case string s: WriteString(sb, s, o.EnsureAscii); break;
            case Markup m: WriteString(sb, m.Value, o.EnsureAscii); break;
            case List<object?> list: WriteArray(sb, list, o, level); break;
            case PyTuple t: WriteArray(sb, t.Items, o, level); break;
            case PyDict d: WriteObject(sb, d, o, level); break;
            default:
                throw PyOps.TypeError($"Object of type {PyFormat.TypeName(value)} is not JSON serializable");
        }
    }

    private static void NewLine(StringBuilder sb, Options o, int level)
    {
        sb.Append('\n');
        for (var i = 0; i < level; i++) sb.Append(o.Indent);
    }

    private static void WriteArray(StringBuilder sb, IReadOnlyList<object?> items, Options o, int level)
    {
        if (items.Count == 0)
        {
            sb.Append("[]");
            return;
        }
        sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(o.ItemSeparator);
            if (o.Indent is not null) NewLine(sb, o, level + 1);
            Write(sb, items[i], o, level + 1);
        }
        if (o.Indent is not null) NewLine(sb, o, level);
        sb.Append(']');
    }

    private static void WriteObject(StringBuilder sb, PyDict dict, Options o, int level)
    {
        if (dict.Count == 0)
        {
            sb.Append("{}");
            return;
        }
        IEnumerable<KeyValuePair<object?, object?>> items = dict;
        if (o.SortKeys)
            items = dict.OrderBy(kv => kv.Key, Comparer<object?>.Create((a, b) => PyOps.Compare(a, b, "<"))).ToList();
        sb.Append('{');
        var first = true;
        foreach (var kv in items)
        {
            if (!first) sb.Append(o.ItemSeparator);
            first = false;
            if (o.Indent is not null) NewLine(sb, o, level + 1);
            var key = kv.Key switch
            {
                string s => s,
                Markup m => m.Value,
                bool b => b ? "true" : "false",
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d => PyFormat.Float(d),
                null => "null",
                _ => throw PyOps.TypeError($"keys must be str, int, float, bool or None, not {PyFormat.TypeName(kv.Key)}"),
            };
            WriteString(sb, key, o.EnsureAscii);
            sb.Append(o.KeySeparator);
            Write(sb, kv.Value, o, level + 1);
        }
        if (o.Indent is not null) NewLine(sb, o, level);
        sb.Append('}');
    }

    private static void WriteString(StringBuilder sb, string s, bool ensureAscii)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (ensureAscii && c > 0x7e))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}

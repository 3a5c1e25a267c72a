using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Baimo.Templates.Runtime;

namespace Baimo.Templates.Builtins;

/// <summary>Jinja2's built-in filters (and Hugging Face's <c>tojson</c>).</summary>
internal static partial class Filters
{
    private delegate object? Filter(Interpreter interp, object? value, CallArgs args);

    private static readonly Dictionary<string, Filter> Table = new(StringComparer.Ordinal)
    {
        ["abs"] = (_, v, a) => v switch
        {
            long l => (object)Math.Abs(l),
            double d => Math.Abs(d),
            bool b => b ? 1L : 0L,
            Undefined u => throw u.Fail(),
            _ => throw PyOps.TypeError($"bad operand type for abs(): '{PyFormat.TypeName(v)}'"),
        },
        ["attr"] = (i, v, a) => i.GetPythonAttribute(v, Text(a.Get(0, "name"))),
        ["batch"] = Batch,
        ["capitalize"] = (_, v, a) => PyStrings.Capitalize(SoftStr(v)),
        ["center"] = (_, v, a) => PyStrings.Center(SoftStr(v), (int)PyOps.Int(a.Get(0, "width", 80L), "width")),
        ["count"] = (_, v, a) => PyOps.Len(v),
        ["length"] = (_, v, a) => PyOps.Len(v),
        ["default"] = Default,
        ["d"] = Default,
        ["dictsort"] = DictSort,
        ["escape"] = (_, v, a) => v is Markup ? v : new Markup(Markup.Escape(PyFormat.Str(v))),
        ["e"] = (_, v, a) => v is Markup ? v : new Markup(Markup.Escape(PyFormat.Str(v))),
        ["forceescape"] = (_, v, a) => new Markup(Markup.Escape(PyFormat.Str(v))),
        ["first"] = First,
        ["last"] = Last,
        ["float"] = ToFloat,
        ["int"] = ToInt,
        ["format"] = (_, v, a) => PercentFormat.Format(SoftStr(v),
            a.Keywords.Count > 0 ? KeywordDict(a) : new PyTuple(a.Positional.ToArray())),
        ["indent"] = Indent,
        ["items"] = (_, v, a) => v switch
        {
            Undefined => new PyGenerator([]),
            PyDict d => new PyGenerator(d.Select(kv => (object?)new PyTuple([kv.Key, kv.Value])).ToList()),
            _ => throw PyOps.TypeError("Can only get item pairs from a mapping."),
        },
        ["join"] = Join,
        ["list"] = (_, v, a) => PyOps.Iterate(v).ToList(),
        ["lower"] = (_, v, a) => SoftStr(v).ToLowerInvariant(),
        ["upper"] = (_, v, a) => SoftStr(v).ToUpperInvariant(),
        ["map"] = Map,
        ["max"] = (i, v, a) => MinMax(i, v, a, max: true),
        ["min"] = (i, v, a) => MinMax(i, v, a, max: false),
        ["select"] = (i, v, a) => Select(i, v, a, attribute: false, keep: true),
        ["reject"] = (i, v, a) => Select(i, v, a, attribute: false, keep: false),
        ["selectattr"] = (i, v, a) => Select(i, v, a, attribute: true, keep: true),
        ["rejectattr"] = (i, v, a) => Select(i, v, a, attribute: true, keep: false),
        ["replace"] = (_, v, a) => PyStrings.Replace(SoftStr(v), Text(a.Get(0, "old")), Text(a.Get(1, "new")),
            a.Get(2, "count") is { } c and not Undefined ? PyOps.Int(c, "count") : -1),
        ["reverse"] = Reverse,
        ["round"] = Round,
        ["safe"] = (_, v, a) => v is Markup ? v : new Markup(PyFormat.Str(v)),
        ["slice"] = SliceFilter,
        ["sort"] = (i, v, a) => SortItems(i, PyOps.Iterate(v).ToList(), PyOps.Truthy(a.Get(0, "reverse", false)),
            PyOps.Truthy(a.Get(1, "case_sensitive", false)), a.Get(2, "attribute")),
        ["string"] = (_, v, a) => v is Markup ? v : PyFormat.Str(v),
        ["striptags"] = (_, v, a) => Regex.Replace(Regex.Replace(SoftStr(v), "<!--.*?-->|<[^>]*>", ""), @"\s+", " ").Trim(),
        ["sum"] = Sum,
        ["title"] = (_, v, a) => TitleFilter(SoftStr(v)),
        ["tojson"] = ToJson,
        ["trim"] = (_, v, a) => PyStrings.Strip(SoftStr(v), a.Get(0, "chars") is string chars ? chars : null, true, true),
        ["truncate"] = Truncate,
        ["unique"] = Unique,
        ["wordcount"] = (_, v, a) => (long)WordRegex().Matches(SoftStr(v)).Count,
    };

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"([-\s({\[<]+)")]
    private static partial Regex WordBeginningSplit();

    public static bool Exists(string name) => Table.ContainsKey(name);

    public static object? Apply(Interpreter interp, string name, object? value, CallArgs args)
    {
        if (!Table.TryGetValue(name, out var filter))
            throw new TemplateException($"TemplateAssertionError: No filter named '{name}'.");
        return filter(interp, value, args);
    }

    /// <summary>Jinja's soft_str: strings stay, everything else goes through str().</summary>
    private static string SoftStr(object? v) => PyFormat.Str(v);

    private static string Text(object? v) =>
        PyOps.TryString(v, out var s) ? s : v is Undefined u ? throw u.Fail() : PyFormat.Str(v);

    private static PyDict KeywordDict(CallArgs a)
    {
        var d = new PyDict();
        foreach (var kv in a.Keywords) d.Set(kv.Key, kv.Value);
        return d;
    }

    private static object? Default(Interpreter interp, object? v, CallArgs a)
    {
        var boolean = PyOps.Truthy(a.Get(1, "boolean", false));
        if (v is Undefined || (boolean && !PyOps.Truthy(v))) return a.Get(0, "default_value", "");
        return v;
    }

    private static object? First(Interpreter interp, object? v, CallArgs a)
    {
        foreach (var item in PyOps.Iterate(v)) return item;
        return new Undefined("No first item, sequence was empty.");
    }

    private static object? Last(Interpreter interp, object? v, CallArgs a)
    {
        if (v is PyGenerator g) throw PyOps.TypeError($"'{g.Kind}' object is not reversible");
        var items = PyOps.ToList(v);
        return items.Count > 0 ? items[^1] : new Undefined("No last item, sequence was empty.");
    }

    private static object? ToInt(Interpreter interp, object? v, CallArgs a)
    {
        var fallback = a.Get(0, "default", 0L);
        var numberBase = (int)PyOps.Int(a.Get(1, "base", 10L), "base");
        switch (v)
        {
            case Undefined u: throw u.Fail();
            case bool b: return b ? 1L : 0L;
            case long: return v;
            case double d: return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string or Markup:
                var s = PyStrings.Strip(PyFormat.Str(v), null, true, true).Replace("_", "");
                if (numberBase == 10 && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
                if (numberBase != 10)
                {
                    try
                    {
                        var neg = s.StartsWith('-');
                        var digits = s.TrimStart('+', '-');
                        if (numberBase == 16 && digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
                        if (numberBase == 8 && digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
                        if (numberBase == 2 && digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
                        var r = Convert.ToInt64(digits, numberBase);
                        return neg ? -r : r;
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException) { }
                }
                var f = ParseFloat(s);
                return f is { } x && double.IsFinite(x) ? (long)Math.Truncate(x) : fallback;
            default: return fallback;
        }
    }

    private static double? ParseFloat(string s)
    {
        s = PyStrings.Strip(s, null, true, true).Replace("_", "");
        var lower = s.ToLowerInvariant().TrimStart('+');
        if (lower is "inf" or "infinity") return double.PositiveInfinity;
        if (lower is "-inf" or "-infinity") return double.NegativeInfinity;
        if (lower is "nan" or "-nan") return double.NaN;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static object? ToFloat(Interpreter interp, object? v, CallArgs a)
    {
        var fallback = a.Get(0, "default", 0.0);
        return v switch
        {
            Undefined u => throw u.Fail(),
            long or bool or double => PyOps.ToDouble(v),
            string or Markup => ParseFloat(PyFormat.Str(v)) is { } d ? d : fallback,
            _ => fallback,
        };
    }

    private static object? Indent(Interpreter interp, object? v, CallArgs a)
    {
        a.Check("indent", "width", "first", "blank");
        var width = a.Get(0, "width", 4L);
        var indention = PyOps.TryString(width, out var w) ? w : new string(' ', (int)Math.Max(0, PyOps.Int(width, "width")));
        var first = PyOps.Truthy(a.Get(1, "first", false));
        var blank = PyOps.Truthy(a.Get(2, "blank", false));
        var s = SoftStr(v) + "\n";
        var lines = PyStrings.SplitLines(s);
        string rv;
        if (blank) rv = string.Join("\n" + indention, lines);
        else
        {
            var sb = new StringBuilder(lines[0]);
            for (var i = 1; i < lines.Count; i++)
                sb.Append('\n').Append(lines[i].Length > 0 ? indention + lines[i] : lines[i]);
            rv = sb.ToString();
        }
        if (first) rv = indention + rv;
        return v is Markup ? new Markup(rv) : rv;
    }

    private static object? Join(Interpreter interp, object? v, CallArgs a)
    {
        var sep = PyFormat.Str(a.Get(0, "d", ""));
        var attribute = a.Get(1, "attribute");
        var items = PyOps.Iterate(v);
        if (attribute is not null) items = items.Select(x => GetPath(interp, x, attribute)).ToList();
        return string.Join(sep, items.Select(PyFormat.Str));
    }

    /// <summary>Jinja's attribute getter: dotted path, integer parts index sequences.</summary>
    public static object? GetPath(Interpreter interp, object? item, object? attribute)
    {
        if (attribute is long or bool) return interp.GetItem(item, attribute);
        foreach (var part in Text(attribute).Split('.'))
        {
            object key = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : part;
            item = interp.GetItem(item, key);
        }
        return item;
    }

    private static object? Map(Interpreter interp, object? v, CallArgs a)
    {
        var items = PyOps.Truthy(v) ? PyOps.Iterate(v) : [];
        if (a.Positional.Count == 0 && a.Keywords.Any(k => k.Key == "attribute"))
        {
            var attribute = a.Get(-1, "attribute");
            var hasDefault = a.Has(-1, "default");
            var fallback = a.Get(-1, "default");
            return new PyGenerator(items.Select(x =>
            {
                var r = GetPath(interp, x, attribute);
                return hasDefault && r is Undefined ? fallback : r;
            }));
        }
        if (a.Positional.Count == 0) throw new TemplateException("FilterArgumentError: map requires a filter argument");
        var filterName = Text(a.Positional[0]);
        var rest = new CallArgs(a.Positional.Skip(1).ToList(), a.Keywords);
        if (!Table.ContainsKey(filterName)) throw new TemplateException($"TemplateRuntimeError: No filter named '{filterName}' found.");
        return new PyGenerator(items.Select(x => Apply(interp, filterName, x, rest)));
    }

    private static object? Select(Interpreter interp, object? v, CallArgs a, bool attribute, bool keep)
    {
        var items = PyOps.Truthy(v) ? PyOps.Iterate(v) : [];
        var offset = 0;
        object? attr = null;
        if (attribute)
        {
            if (a.Positional.Count == 0) throw new TemplateException("TypeError: missing attribute argument");
            attr = a.Positional[0];
            offset = 1;
        }
        Func<object?, bool> predicate;
        if (a.Positional.Count > offset)
        {
            var testName = Text(a.Positional[offset]);
            var testArgs = new CallArgs(a.Positional.Skip(offset + 1).ToList(), a.Keywords);
            predicate = x => Tests.Apply(interp, testName, x, testArgs);
        }
        else predicate = PyOps.Truthy;
        return new PyGenerator(items.Where(x => predicate(attribute ? GetPath(interp, x, attr) : x) == keep));
    }

    private static Func<object?, object?> KeyFunc(Interpreter interp, object? attribute, bool caseSensitive) => x =>
    {
        if (attribute is not null and not Undefined) x = GetPath(interp, x, attribute);
        return !caseSensitive && PyOps.TryString(x, out var s) ? s.ToLowerInvariant() : x;
    };

    public static List<object?> SortItems(Interpreter interp, List<object?> items, bool reverse, bool caseSensitive, object? attribute)
    {
        var key = KeyFunc(interp, attribute, caseSensitive);
        var keyed = items.Select((x, i) => (Key: key(x), Item: x, Index: i)).ToList();
        keyed.Sort((p, q) =>
        {
            var c = PyOps.Compare(p.Key, q.Key, "<");
            if (reverse) c = -c;
            return c != 0 ? c : p.Index.CompareTo(q.Index);
        });
        return keyed.Select(k => k.Item).ToList();
    }

    private static object? DictSort(Interpreter interp, object? v, CallArgs a)
    {
        if (v is not PyDict d) throw new TemplateException("FilterArgumentError: dictsort requires a mapping");
        var caseSensitive = PyOps.Truthy(a.Get(0, "case_sensitive", false));
        var by = Text(a.Get(1, "by", "key"));
        var reverse = PyOps.Truthy(a.Get(2, "reverse", false));
        var pos = by switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw new TemplateException("FilterArgumentError: You can only sort by either \"key\" or \"value\""),
        };
        var pairs = d.Select(kv => (object?)new PyTuple([kv.Key, kv.Value])).ToList();
        var keyed = pairs.Select((p, i) => (Key: KeyFunc(interp, null, caseSensitive)(((PyTuple)p!)[pos]), Item: p, Index: i)).ToList();
        keyed.Sort((p, q) =>
        {
            var c = PyOps.Compare(p.Key, q.Key, "<");
            if (reverse) c = -c;
            return c != 0 ? c : p.Index.CompareTo(q.Index);
        });
        return keyed.Select(k => k.Item).ToList();
    }

    private static object? Unique(Interpreter interp, object? v, CallArgs a)
    {
        var key = KeyFunc(interp, a.Get(1, "attribute"), PyOps.Truthy(a.Get(0, "case_sensitive", false)));
        var items = PyOps.Iterate(v);
        IEnumerable<object?> Run()
        {
            var seen = new PyDict();
            foreach (var x in items)
            {
                var k = key(x);
                if (seen.ContainsKey(k)) continue;
                seen.Set(k, null);
                yield return x;
            }
        }
        return new PyGenerator(Run());
    }

    private static object? MinMax(Interpreter interp, object? v, CallArgs a, bool max)
    {
        var key = KeyFunc(interp, a.Get(1, "attribute"), PyOps.Truthy(a.Get(0, "case_sensitive", false)));
        object? best = null, bestKey = null;
        var any = false;
        foreach (var x in PyOps.Iterate(v))
        {
            var k = key(x);
            if (!any || (max ? PyOps.Compare(k, bestKey, ">") > 0 : PyOps.Compare(k, bestKey, "<") < 0))
            {
                best = x;
                bestKey = k;
                any = true;
            }
        }
        return any ? best : new Undefined($"No aggregated item, sequence was empty.");
    }

    private static object? Sum(Interpreter interp, object? v, CallArgs a)
    {
        var attribute = a.Get(0, "attribute");
        object? total = a.Get(1, "start", 0L);
        foreach (var x in PyOps.Iterate(v))
            total = PyArithmetic.Binary("+", total, attribute is null ? x : GetPath(interp, x, attribute), interp.Options.MaxOutputLength);
        return total;
    }

    private static object? Reverse(Interpreter interp, object? v, CallArgs a)
    {
        if (PyOps.TryString(v, out var s)) return PyStrings.Slice(s, null, null, -1);
        if (v is PyGenerator)
        {
            var l = PyOps.ToList(v);
            l.Reverse();
            return l;
        }
        var items = PyOps.ToList(v);
        var copy = new List<object?>(items);
        copy.Reverse();
        return new PyGenerator(copy, v is PyDict ? "dict_reversekeyiterator" : "list_reverseiterator");
    }

    private static object? Round(Interpreter interp, object? v, CallArgs a)
    {
        var precision = (int)PyOps.Int(a.Get(0, "precision", 0L), "precision");
        var method = Text(a.Get(1, "method", "common"));
        if (v is Undefined u) throw u.Fail();
        if (method == "common")
        {
            if (v is long or bool && precision >= 0) return PyOps.ToLong(v);
            return Math.Round(PyOps.ToDouble(v), Math.Clamp(precision, 0, 15), MidpointRounding.ToEven);
        }
        var scale = Math.Pow(10, precision);
        var x = PyOps.ToDouble(v) * scale;
        return method switch
        {
            "ceil" => Math.Ceiling(x) / scale,
            "floor" => Math.Floor(x) / scale,
            _ => throw new TemplateException("FilterArgumentError: method must be common, ceil or floor"),
        };
    }

    private static object? Batch(Interpreter interp, object? v, CallArgs a)
    {
        var size = (int)PyOps.Int(a.Get(0, "linecount"), "linecount");
        if (size <= 0) throw new TemplateException("ValueError: batch size must be positive");
        var hasFill = a.Get(1, "fill_with") is not null;
        var fill = a.Get(1, "fill_with");
        var items = PyOps.Iterate(v);
        IEnumerable<object?> Run()
        {
            var tmp = new List<object?>();
            foreach (var x in items)
            {
                if (tmp.Count == size)
                {
                    yield return tmp;
                    tmp = [];
                }
                tmp.Add(x);
            }
            if (tmp.Count > 0)
            {
                if (hasFill) while (tmp.Count < size) tmp.Add(fill);
                yield return tmp;
            }
        }
        return new PyGenerator(Run());
    }

    private static object? SliceFilter(Interpreter interp, object? v, CallArgs a)
    {
        var slices = (int)PyOps.Int(a.Get(0, "slices"), "slices");
        var fill = a.Get(1, "fill_with");
        var seq = PyOps.ToList(v);
        var length = seq.Count;
        var perSlice = length / slices;
        var withExtra = length % slices;
        var result = new List<object?>();
        var offset = 0;
        for (var n = 0; n < slices; n++)
        {
            var start = offset + n * perSlice;
            if (n < withExtra) offset++;
            var end = offset + (n + 1) * perSlice;
            var tmp = seq.GetRange(start, end - start);
            if (fill is not null && n >= withExtra) tmp.Add(fill);
            result.Add(tmp);
        }
        return new PyGenerator(result);
    }

    private static object? ToJson(Interpreter interp, object? v, CallArgs a)
    {
        a.Check("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        var options = PyJson.MakeOptions(PyOps.Truthy(a.Get(0, "ensure_ascii", false)), a.Get(1, "indent"), a.Get(2, "separators"),
            PyOps.Truthy(a.Get(3, "sort_keys", false)));
        return PyJson.Dumps(v, options);
    }

    private static object? Truncate(Interpreter interp, object? v, CallArgs a)
    {
        var s = SoftStr(v);
        var length = (int)PyOps.Int(a.Get(0, "length", 255L), "length");
        var killwords = PyOps.Truthy(a.Get(1, "killwords", false));
        var end = Text(a.Get(2, "end", "..."));
        var leeway = (int)PyOps.Int(a.Get(3, "leeway", 5L), "leeway");
        if (s.Length <= length + leeway) return s;
        if (killwords) return s[..Math.Max(0, length - end.Length)] + end;
        var cut = s[..Math.Max(0, length - end.Length)];
        var space = cut.LastIndexOf(' ');
        return (space >= 0 ? cut[..space] : cut) + end;
    }

    private static string TitleFilter(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var item in WordBeginningSplit().Split(s))
        {
            if (item.Length == 0) continue;
            sb.Append(char.ToUpperInvariant(item[0])).Append(item[1..].ToLowerInvariant());
        }
        return sb.ToString();
    }
}

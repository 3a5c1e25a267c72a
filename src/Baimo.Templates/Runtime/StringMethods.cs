using System.Text;

namespace Baimo.Templates.Runtime;

/// <summary>Python's str methods.</summary>
internal static class StringMethods
{
    private static string? OptString(object? v, string what)
    {
        if (v is null or Undefined) return null;
        return PyOps.TryString(v, out var s) ? s : throw PyOps.TypeError($"{what} arg must be None or str");
    }

    private static string Str(object? v, string what) =>
        PyOps.TryString(v, out var s) ? s : throw PyOps.TypeError($"{what}: must be str, not {PyFormat.TypeName(v)}");

    private static long? OptInt(object? v) => v is null or Undefined ? null : PyOps.Int(v, "index");

    public static object? Invoke(Interpreter interp, string s, string name, CallArgs a)
    {
        switch (name)
        {
            case "strip": return PyStrings.Strip(s, OptString(a.Get(0, "chars"), "strip"), true, true);
            case "lstrip": return PyStrings.Strip(s, OptString(a.Get(0, "chars"), "lstrip"), true, false);
            case "rstrip": return PyStrings.Strip(s, OptString(a.Get(0, "chars"), "rstrip"), false, true);
            case "split":
                return PyStrings.Split(s, OptString(a.Get(0, "sep"), "split"), a.Has(1, "maxsplit") ? PyOps.Int(a.Get(1, "maxsplit"), "maxsplit") : -1);
            case "rsplit":
                return PyStrings.RSplit(s, OptString(a.Get(0, "sep"), "rsplit"), a.Has(1, "maxsplit") ? PyOps.Int(a.Get(1, "maxsplit"), "maxsplit") : -1);
            case "splitlines":
                return PyStrings.SplitLines(s, PyOps.Truthy(a.Get(0, "keepends", false))).Select(x => (object?)x).ToList();
            case "startswith":
            case "endswith":
                return Affix(s, name == "startswith", a);
            case "upper": return s.ToUpperInvariant();
            case "lower": return s.ToLowerInvariant();
            case "casefold": return s.ToLowerInvariant();
            case "swapcase":
                return new string(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray());
            case "title": return PyStrings.Title(s);
            case "capitalize": return PyStrings.Capitalize(s);
            case "replace":
                return PyStrings.Replace(s, Str(a.Get(0, "old"), "replace"), Str(a.Get(1, "new"), "replace"),
                    a.Has(2, "count") ? PyOps.Int(a.Get(2, "count"), "count") : -1);
            case "find":
            case "rfind":
            case "index":
            case "rindex":
                var found = PyStrings.Find(s, Str(a.Get(0, "sub"), name), OptInt(a.Get(1, "start")), OptInt(a.Get(2, "end")), name[0] == 'r');
                if (found < 0 && name.EndsWith("index")) throw new TemplateException("ValueError: substring not found");
                return found;
            case "count": return PyStrings.Count(s, Str(a.Get(0, "sub"), "count"));
            case "format": return PercentFormat.StrFormat(interp, s, a);
            case "join":
                var sb = new StringBuilder();
                var first = true;
                foreach (var item in PyOps.Iterate(a.Get(0, "iterable")))
                {
                    if (!first) sb.Append(s);
                    first = false;
                    sb.Append(PyOps.TryString(item, out var part) ? part
                        : throw PyOps.TypeError($"sequence item: expected str instance, {PyFormat.TypeName(item)} found"));
                }
                return sb.ToString();
            case "center": return PyStrings.Center(s, (int)PyOps.Int(a.Get(0, "width"), "width"), OptString(a.Get(1, "fillchar"), "center") ?? " ");
            case "ljust":
            case "rjust":
                var width = (int)PyOps.Int(a.Get(0, "width"), "width");
                var fill = (OptString(a.Get(1, "fillchar"), name) ?? " ")[0];
                var pad = Math.Max(0, width - PyStrings.Length(s));
                return name == "ljust" ? s + new string(fill, pad) : new string(fill, pad) + s;
            case "zfill":
                var z = (int)PyOps.Int(a.Get(0, "width"), "width");
                if (s.Length >= z) return s;
                var sign = s.Length > 0 && s[0] is '+' or '-' ? s[..1] : "";
                return sign + new string('0', z - s.Length) + s[sign.Length..];
            case "partition":
            case "rpartition":
                var sep = Str(a.Get(0, "sep"), name);
                var at = name == "partition" ? s.IndexOf(sep, StringComparison.Ordinal) : s.LastIndexOf(sep, StringComparison.Ordinal);
                if (at < 0) return name == "partition" ? new PyTuple([s, "", ""]) : new PyTuple(["", "", s]);
                return new PyTuple([s[..at], sep, s[(at + sep.Length)..]]);
            case "removeprefix":
                var prefix = Str(a.Get(0, "prefix"), name);
                return s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;
            case "removesuffix":
                var suffix = Str(a.Get(0, "suffix"), name);
                return suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;
            case "isdigit":
            case "isdecimal":
            case "isnumeric":
                return s.Length > 0 && s.All(char.IsDigit);
            case "isalpha": return s.Length > 0 && s.All(char.IsLetter);
            case "isalnum": return s.Length > 0 && s.All(char.IsLetterOrDigit);
            case "isspace": return s.Length > 0 && s.All(PyStrings.IsSpace);
            case "isascii": return s.All(c => c < 128);
            case "islower": return s.Any(char.IsLetter) && !s.Any(char.IsUpper);
            case "isupper": return s.Any(char.IsLetter) && !s.Any(char.IsLower);
            case "istitle": return s.Any(char.IsLetter) && PyStrings.Title(s) == s;
            default: throw PyOps.TypeError($"'str' object has no method '{name}'");
        }
    }

    private static bool Affix(string s, bool start, CallArgs a)
    {
        var what = a.Get(0, start ? "prefix" : "suffix");
        long? from = OptInt(a.Get(1, "start")), to = OptInt(a.Get(2, "end"));
        if (from is not null || to is not null) s = PyStrings.Slice(s, from, to, null);
        IEnumerable<object?> candidates = what is PyTuple t ? t.Items : [what];
        foreach (var c in candidates)
        {
            var text = PyOps.TryString(c, out var x) ? x
                : throw PyOps.TypeError($"{(start ? "startswith" : "endswith")} first arg must be str or a tuple of str, not {PyFormat.TypeName(c)}");
            if (start ? s.StartsWith(text, StringComparison.Ordinal) : s.EndsWith(text, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

using System.Text;

namespace Baimo.Templates.Runtime;

/// <summary>Python str semantics over .NET strings: code-point lengths and slices, whitespace, split.</summary>
internal static class PyStrings
{
    /// <summary>Python's <c>str.isspace</c> for one UTF-16 unit.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    private static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    /// <summary>Length in code points, as Python's len().</summary>
    public static int Length(string s)
    {
        if (!HasSurrogates(s)) return s.Length;
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            n++;
        }
        return n;
    }

    /// <summary>The string as code points (each an element string) when it has surrogate pairs.</summary>
    public static string[] CodePoints(string s)
    {
        var list = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(s.Substring(i, 2));
                i++;
            }
            else list.Add(s[i].ToString());
        }
        return list.ToArray();
    }

    /// <summary>Python's <c>s[index]</c>; null when out of range.</summary>
    public static string? CharAt(string s, long index)
    {
        if (!HasSurrogates(s))
        {
            if (index < 0) index += s.Length;
            return index >= 0 && index < s.Length ? s[(int)index].ToString() : null;
        }
        var cps = CodePoints(s);
        if (index < 0) index += cps.Length;
        return index >= 0 && index < cps.Length ? cps[index] : null;
    }

    /// <summary>Python's <c>s[start:stop:step]</c>.</summary>
    public static string Slice(string s, long? start, long? stop, long? step)
    {
        if (!HasSurrogates(s))
        {
            var idx = PyOps.SliceIndices(s.Length, start, stop, step);
            if (step is null or 1) return idx.Count == 0 ? "" : s.Substring(idx[0], idx.Count);
            var sb = new StringBuilder(idx.Count);
            foreach (var i in idx) sb.Append(s[i]);
            return sb.ToString();
        }
        var cps = CodePoints(s);
        var sb2 = new StringBuilder();
        foreach (var i in PyOps.SliceIndices(cps.Length, start, stop, step)) sb2.Append(cps[i]);
        return sb2.ToString();
    }

    public static string Strip(string s, string? chars, bool left, bool right)
    {
        int a = 0, b = s.Length;
        Func<char, bool> strip = chars is null ? IsSpace : c => chars.Contains(c);
        if (left) while (a < b && strip(s[a])) a++;
        if (right) while (b > a && strip(s[b - 1])) b--;
        return s.Substring(a, b - a);
    }

    /// <summary>Python's <c>str.split(sep, maxsplit)</c>.</summary>
    public static List<object?> Split(string s, string? sep, long maxsplit)
    {
        var result = new List<object?>();
        if (sep is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && IsSpace(s[i])) i++;
                if (i >= s.Length) break;
                if (maxsplit >= 0 && result.Count >= maxsplit)
                {
                    var rest = s[i..];
                    var end = rest.Length;
                    while (end > 0 && IsSpace(rest[end - 1])) end--;
                    result.Add(rest[..end]);
                    break;
                }
                var j = i;
                while (j < s.Length && !IsSpace(s[j])) j++;
                result.Add(s[i..j]);
                i = j;
            }
            return result;
        }
        if (sep.Length == 0) throw new TemplateException("ValueError: empty separator");
        var pos = 0;
        while (maxsplit < 0 || result.Count < maxsplit)
        {
            var k = s.IndexOf(sep, pos, StringComparison.Ordinal);
            if (k < 0) break;
            result.Add(s[pos..k]);
            pos = k + sep.Length;
        }
        result.Add(s[pos..]);
        return result;
    }

    /// <summary>Python's <c>str.rsplit(sep, maxsplit)</c>.</summary>
    public static List<object?> RSplit(string s, string? sep, long maxsplit)
    {
        if (maxsplit < 0) return Split(s, sep, -1);
        var result = new List<object?>();
        if (sep is null)
        {
            var i = s.Length;
            while (true)
            {
                while (i > 0 && IsSpace(s[i - 1])) i--;
                if (i <= 0) break;
                if (result.Count >= maxsplit)
                {
                    var start = 0;
                    while (start < i && IsSpace(s[start])) start++;
                    result.Add(s[start..i]);
                    break;
                }
                var j = i;
                while (j > 0 && !IsSpace(s[j - 1])) j--;
                result.Add(s[j..i]);
                i = j;
            }
            result.Reverse();
            return result;
        }
        if (sep.Length == 0) throw new TemplateException("ValueError: empty separator");
        var end = s.Length;
        while (result.Count < maxsplit)
        {
            if (end < sep.Length) break;
            var k = s.LastIndexOf(sep, end - 1, end, StringComparison.Ordinal);
            if (k < 0) break;
            result.Add(s[(k + sep.Length)..end]);
            end = k;
        }
        result.Add(s[..end]);
        result.Reverse();
        return result;
    }

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';

    /// <summary>Python's <c>str.splitlines(keepends)</c>.</summary>
    public static List<string> SplitLines(string s, bool keepEnds = false)
    {
        var lines = new List<string>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            if (!IsLineBreak(s[i]))
            {
                i++;
                continue;
            }
            var eol = i + (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1);
            lines.Add(keepEnds ? s[start..eol] : s[start..i]);
            start = i = eol;
        }
        if (start < s.Length) lines.Add(s[start..]);
        return lines;
    }

    /// <summary>Python's <c>str.title()</c>: a letter after a non-letter is upper-cased, others lower-cased.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevCased = false;
        foreach (var c in s)
        {
            if (char.IsLetter(c))
            {
                sb.Append(prevCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
                prevCased = true;
            }
            else
            {
                sb.Append(c);
                prevCased = false;
            }
        }
        return sb.ToString();
    }

    /// <summary>Python's <c>str.capitalize()</c>.</summary>
    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    public static string Center(string s, int width, string fill = " ")
    {
        var len = Length(s);
        if (width <= len) return s;
        var marg = width - len;
        var left = marg / 2 + (marg & width & 1);
        return Repeat(fill, left) + s + Repeat(fill, marg - left);
    }

    public static string Repeat(string s, long count)
    {
        if (count <= 0 || s.Length == 0) return "";
        var sb = new StringBuilder((int)Math.Min(s.Length * count, int.MaxValue / 2));
        for (long i = 0; i < count; i++) sb.Append(s);
        return sb.ToString();
    }

    /// <summary>Python's <c>str.find</c> with optional bounds, in code units (equal for BMP text).</summary>
    public static long Find(string s, string sub, long? start, long? end, bool reverse)
    {
        var n = s.Length;
        var a = (int)ClampIndex(start ?? 0, n);
        var b = (int)ClampIndex(end ?? n, n);
        if (b < a || b - a < sub.Length) return -1;
        var slice = s.Substring(a, b - a);
        var k = reverse ? slice.LastIndexOf(sub, StringComparison.Ordinal) : slice.IndexOf(sub, StringComparison.Ordinal);
        return k < 0 ? -1 : k + a;
    }

    private static long ClampIndex(long i, int n)
    {
        if (i < 0) i += n;
        return Math.Clamp(i, 0, n);
    }

    /// <summary>Counts non-overlapping occurrences, as <c>str.count</c>.</summary>
    public static long Count(string s, string sub)
    {
        if (sub.Length == 0) return Length(s) + 1;
        long n = 0;
        var pos = 0;
        while ((pos = s.IndexOf(sub, pos, StringComparison.Ordinal)) >= 0)
        {
            n++;
            pos += sub.Length;
        }
        return n;
    }

    /// <summary>Python's <c>str.replace(old, new, count)</c>.</summary>
    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0) return old.Length == 0 ? InsertEverywhere(s, replacement, -1) : s.Replace(old, replacement, StringComparison.Ordinal);
        if (old.Length == 0) return InsertEverywhere(s, replacement, count);
        var sb = new StringBuilder();
        var pos = 0;
        for (long i = 0; i < count; i++)
        {
            var k = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (k < 0) break;
            sb.Append(s, pos, k - pos).Append(replacement);
            pos = k + old.Length;
        }
        sb.Append(s, pos, s.Length - pos);
        return sb.ToString();
    }

    private static string InsertEverywhere(string s, string r, long count)
    {
        var sb = new StringBuilder();
        long done = 0;
        foreach (var cp in CodePoints(s))
        {
            if (count < 0 || done < count) { sb.Append(r); done++; }
            sb.Append(cp);
        }
        if (count < 0 || done < count) sb.Append(r);
        return sb.ToString();
    }
}

namespace Baimo.Templates.Runtime;

/// <summary>Python's arithmetic operators over template values.</summary>
internal static class PyArithmetic
{
    public static object? Binary(string op, object? a, object? b, int maxLength)
    {
        if (a is Undefined ua) throw ua.Fail();
        if (b is Undefined ub) throw ub.Fail();
        if (PyOps.IsNumber(a) && PyOps.IsNumber(b)) return Numeric(op, a, b);
        switch (op)
        {
            case "+":
                if (a is Markup || b is Markup)
                {
                    if (PyOps.TryString(a, out var ma) && PyOps.TryString(b, out var mb))
                        return new Markup(EscapeUnlessMarkup(a, ma) + EscapeUnlessMarkup(b, mb));
                    break;
                }
                if (a is string sa && b is string sb)
                {
                    if ((long)sa.Length + sb.Length > maxLength) throw new TemplateLimitException("string grows past the output limit");
                    return string.Concat(sa, sb);
                }
                if (a is string) throw PyOps.TypeError($"can only concatenate str (not \"{PyFormat.TypeName(b)}\") to str");
                if (a is List<object?> la && b is List<object?> lb) return new List<object?>([.. la, .. lb]);
                if (a is List<object?>) throw PyOps.TypeError($"can only concatenate list (not \"{PyFormat.TypeName(b)}\") to list");
                if (a is PyTuple ta && b is PyTuple tb) return new PyTuple([.. ta.Items, .. tb.Items]);
                if (a is PyTuple) throw PyOps.TypeError($"can only concatenate tuple (not \"{PyFormat.TypeName(b)}\") to tuple");
                break;
            case "*":
                if (PyOps.TryString(a, out var s1) && b is long or bool) return RepeatString(a, s1, PyOps.ToLong(b), maxLength);
                if (PyOps.TryString(b, out var s2) && a is long or bool) return RepeatString(b, s2, PyOps.ToLong(a), maxLength);
                if (a is List<object?> l1 && b is long or bool) return RepeatList(l1, PyOps.ToLong(b), maxLength);
                if (b is List<object?> l2 && a is long or bool) return RepeatList(l2, PyOps.ToLong(a), maxLength);
                break;
            case "%":
                if (PyOps.TryString(a, out var fmt))
                {
                    var r = PercentFormat.Format(fmt, b);
                    return a is Markup ? new Markup(r) : r;
                }
                break;
        }
        throw PyOps.TypeError($"unsupported operand type(s) for {op}: '{PyFormat.TypeName(a)}' and '{PyFormat.TypeName(b)}'");
    }

    private static string EscapeUnlessMarkup(object? value, string text) => value is Markup ? text : Markup.Escape(text);

    private static object RepeatString(object? original, string s, long n, int maxLength)
    {
        if (n > 0 && s.Length * n > maxLength) throw new TemplateLimitException("string grows past the output limit");
        var r = PyStrings.Repeat(s, n);
        return original is Markup ? new Markup(r) : r;
    }

    private static List<object?> RepeatList(List<object?> l, long n, int maxLength)
    {
        if (n > 0 && l.Count * n > maxLength) throw new TemplateLimitException("list grows past the output limit");
        var r = new List<object?>();
        for (long i = 0; i < n; i++) r.AddRange(l);
        return r;
    }

    private static object Numeric(string op, object? a, object? b)
    {
        var isFloat = a is double || b is double;
        if (op == "/")
        {
            var y = PyOps.ToDouble(b);
            if (y == 0) throw new TemplateException("ZeroDivisionError: division by zero");
            return PyOps.ToDouble(a) / y;
        }
        if (op == "**")
        {
            if (!isFloat)
            {
                long x = PyOps.ToLong(a), e = PyOps.ToLong(b);
                if (e >= 0)
                {
                    long r = 1;
                    try { for (long i = 0; i < e; i++) r = checked(r * x); }
                    catch (OverflowException) { throw new TemplateException("OverflowError: integer too large"); }
                    return r;
                }
            }
            return Math.Pow(PyOps.ToDouble(a), PyOps.ToDouble(b));
        }
        if (isFloat)
        {
            double x = PyOps.ToDouble(a), y = PyOps.ToDouble(b);
            switch (op)
            {
                case "+": return x + y;
                case "-": return x - y;
                case "*": return x * y;
                case "//":
                    if (y == 0) throw new TemplateException("ZeroDivisionError: float floor division by zero");
                    return Math.Floor(x / y);
                case "%":
                    if (y == 0) throw new TemplateException("ZeroDivisionError: float modulo");
                    var m = x % y;
                    if (m != 0 && (m < 0) != (y < 0)) m += y;
                    return m;
            }
        }
        else
        {
            long x = PyOps.ToLong(a), y = PyOps.ToLong(b);
            try
            {
                switch (op)
                {
                    case "+": return checked(x + y);
                    case "-": return checked(x - y);
                    case "*": return checked(x * y);
                    case "//":
                        if (y == 0) throw new TemplateException("ZeroDivisionError: integer division or modulo by zero");
                        var q = x / y;
                        if ((x % y != 0) && ((x < 0) != (y < 0))) q--;
                        return q;
                    case "%":
                        if (y == 0) throw new TemplateException("ZeroDivisionError: integer division or modulo by zero");
                        var r = x % y;
                        if (r != 0 && (r < 0) != (y < 0)) r += y;
                        return r;
                }
            }
            catch (OverflowException)
            {
                throw new TemplateException("OverflowError: integer too large");
            }
        }
        throw PyOps.TypeError($"unsupported operator {op}");
    }

    public static object? Negate(object? v) => v switch
    {
        long l => (object)checked(-l),
        bool b => b ? -1L : 0L,
        double d => -d,
        Undefined u => throw u.Fail(),
        _ => throw PyOps.TypeError($"bad operand type for unary -: '{PyFormat.TypeName(v)}'"),
    };

    public static object? Plus(object? v) => v switch
    {
        long or double => v,
        bool b => (object)(b ? 1L : 0L),
        Undefined u => throw u.Fail(),
        _ => throw PyOps.TypeError($"bad operand type for unary +: '{PyFormat.TypeName(v)}'"),
    };
}

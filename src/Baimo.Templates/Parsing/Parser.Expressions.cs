using System.Runtime.CompilerServices;
using Baimo.Templates.Lexing;

namespace Baimo.Templates.Parsing;

/// <summary>Expressions, with Jinja2's precedence: conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary, filters/tests, postfix.</summary>
internal sealed partial class Parser
{
    private Expr ParseExpression(bool withCondExpr = true) => withCondExpr ? ParseCondExpr() : ParseOr();

    private bool IsTupleEnd(string? extraEnd) =>
        _s.Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd or TokenKind.End
        || _s.Current.IsOp(")")
        || (extraEnd is not null && _s.Current.IsName(extraEnd));

    /// <summary>An expression or a comma-separated tuple of them.</summary>
    private Expr ParseTuple(bool withCondExpr = true, string? extraEnd = null, bool explicitParentheses = false)
    {
        var position = _s.Current.Position;
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0) _s.ExpectOp(",");
            if (IsTupleEnd(extraEnd)) break;
            items.Add(ParseExpression(withCondExpr));
            if (_s.Current.IsOp(",")) isTuple = true;
            else break;
        }
        if (!isTuple)
        {
            if (items.Count > 0) return items[0];
            if (!explicitParentheses) throw _s.Error($"Expected an expression, got {_s.Current}");
        }
        return new TupleExpr(position, items.ToArray());
    }

    private Expr ParseCondExpr()
    {
        var expr = ParseOr();
        while (_s.Current.IsName("if"))
        {
            var position = _s.Next().Position;
            var test = ParseOr();
            Expr? otherwise = _s.SkipName("else") ? ParseCondExpr() : null;
            expr = new CondExpr(position, test, expr, otherwise);
        }
        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (_s.Current.IsName("or"))
        {
            var position = _s.Next().Position;
            left = new BinaryExpr(position, "or", left, ParseAnd());
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (_s.Current.IsName("and"))
        {
            var position = _s.Next().Position;
            left = new BinaryExpr(position, "and", left, ParseNot());
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (_s.Current.IsName("not"))
        {
            var position = _s.Next().Position;
            return new UnaryExpr(position, "not", ParseNot());
        }
        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        var position = _s.Current.Position;
        var first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            var t = _s.Current;
            if (t.Kind == TokenKind.Operator && t.Value is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                _s.Next();
                rest.Add((t.Value, ParseMath1()));
            }
            else if (t.IsName("in"))
            {
                _s.Next();
                rest.Add(("in", ParseMath1()));
            }
            else if (t.IsName("not") && _s.Peek().IsName("in"))
            {
                _s.Next();
                _s.Next();
                rest.Add(("notin", ParseMath1()));
            }
            else break;
        }
        return rest.Count == 0 ? first : new CompareExpr(position, first, rest.ToArray());
    }

    private Expr ParseMath1()
    {
        var left = ParseConcat();
        while (_s.Current.Kind == TokenKind.Operator && _s.Current.Value is "+" or "-")
        {
            var op = _s.Next();
            left = new BinaryExpr(op.Position, op.Value, left, ParseConcat());
        }
        return left;
    }

    private Expr ParseConcat()
    {
        var position = _s.Current.Position;
        var first = ParseMath2();
        if (!_s.Current.IsOp("~")) return first;
        var parts = new List<Expr> { first };
        while (_s.SkipOp("~")) parts.Add(ParseMath2());
        return new ConcatExpr(position, parts.ToArray());
    }

    private Expr ParseMath2()
    {
        var left = ParsePow();
        while (_s.Current.Kind == TokenKind.Operator && _s.Current.Value is "*" or "/" or "//" or "%")
        {
            var op = _s.Next();
            left = new BinaryExpr(op.Position, op.Value, left, ParsePow());
        }
        return left;
    }

    private Expr ParsePow()
    {
        var left = ParseUnary();
        while (_s.Current.IsOp("**"))
        {
            var op = _s.Next();
            left = new BinaryExpr(op.Position, "**", left, ParseUnary());
        }
        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var t = _s.Current;
        Expr node;
        if (t.IsOp("-") || t.IsOp("+"))
        {
            _s.Next();
            node = new UnaryExpr(t.Position, t.Value, ParseUnary(withFilter: false));
        }
        else node = ParsePrimary();
        node = ParsePostfix(node);
        if (withFilter) node = ParseFilterExpr(node);
        return node;
    }

    private Expr ParsePrimary()
    {
        var t = _s.Current;
        switch (t.Kind)
        {
            case TokenKind.Name:
                _s.Next();
                switch (t.Value)
                {
                    case "true" or "True": return new ConstExpr(t.Position, true);
                    case "false" or "False": return new ConstExpr(t.Position, false);
                    case "none" or "None": return new ConstExpr(t.Position, null);
                }
                if (_macros.Count > 0)
                {
                    var usage = _macros.Peek();
                    if (t.Value == "varargs") usage.Varargs = true;
                    else if (t.Value == "kwargs") usage.Kwargs = true;
                    else if (t.Value == "caller") usage.Caller = true;
                }
                return new NameExpr(t.Position, t.Value);
            case TokenKind.String:
                var text = (string)t.Literal!;
                _s.Next();
                while (_s.Current.Kind == TokenKind.String) text += (string)_s.Next().Literal!;
                return new ConstExpr(t.Position, text);
            case TokenKind.Integer:
            case TokenKind.Float:
                _s.Next();
                return new ConstExpr(t.Position, t.Literal);
            case TokenKind.Operator when t.Value == "(":
                _s.Next();
                var inner = ParseTuple(explicitParentheses: true);
                _s.ExpectOp(")");
                return inner;
            case TokenKind.Operator when t.Value == "[":
                _s.Next();
                var items = new List<Expr>();
                while (!_s.Current.IsOp("]"))
                {
                    if (items.Count > 0) _s.ExpectOp(",");
                    if (_s.Current.IsOp("]")) break;
                    items.Add(ParseExpression());
                }
                _s.ExpectOp("]");
                return new ListExpr(t.Position, items.ToArray());
            case TokenKind.Operator when t.Value == "{":
                _s.Next();
                var pairs = new List<(Expr, Expr)>();
                while (!_s.Current.IsOp("}"))
                {
                    if (pairs.Count > 0) _s.ExpectOp(",");
                    if (_s.Current.IsOp("}")) break;
                    var key = ParseExpression();
                    _s.ExpectOp(":");
                    pairs.Add((key, ParseExpression()));
                }
                _s.ExpectOp("}");
                return new DictExpr(t.Position, pairs.ToArray());
            default:
                throw _s.Error($"unexpected {t}");
        }
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            var t = _s.Current;
            if (t.IsOp("."))
            {
                _s.Next();
                var attr = _s.Next();
                if (attr.Kind == TokenKind.Name) node = new AttrExpr(t.Position, node, attr.Value);
                else if (attr.Kind == TokenKind.Integer) node = new ItemExpr(t.Position, node, new ConstExpr(attr.Position, attr.Literal));
                else throw _s.Error("expected name or number", attr.Position);
            }
            else if (t.IsOp("["))
            {
                _s.Next();
                var indices = new List<Expr>();
                while (!_s.Current.IsOp("]"))
                {
                    if (indices.Count > 0) _s.ExpectOp(",");
                    if (_s.Current.IsOp("]")) break;
                    indices.Add(ParseSubscribed());
                }
                _s.ExpectOp("]");
                if (indices.Count == 0) throw _s.Error("expected subscript expression", t.Position);
                node = new ItemExpr(t.Position, node, indices.Count == 1 ? indices[0] : new TupleExpr(t.Position, indices.ToArray()));
            }
            else if (t.IsOp("("))
            {
                node = new CallExpr(t.Position, node, ParseCallArgs());
            }
            else return node;
        }
    }

    private Expr ParseSubscribed()
    {
        var position = _s.Current.Position;
        Expr? start = null;
        if (!_s.Current.IsOp(":"))
        {
            start = ParseExpression();
            if (!_s.Current.IsOp(":")) return start;
        }
        _s.ExpectOp(":");
        Expr? stop = null, step = null;
        if (!_s.Current.IsOp("]") && !_s.Current.IsOp(",") && !_s.Current.IsOp(":")) stop = ParseExpression();
        if (_s.SkipOp(":") && !_s.Current.IsOp("]") && !_s.Current.IsOp(",")) step = ParseExpression();
        return new SliceExpr(position, start, stop, step);
    }

    private Arguments ParseCallArgs()
    {
        _s.ExpectOp("(");
        var positional = new List<Expr>();
        var keywords = new List<(string, Expr)>();
        Expr? star = null, starStar = null;
        var first = true;
        while (!_s.Current.IsOp(")"))
        {
            if (!first) _s.ExpectOp(",");
            first = false;
            if (_s.Current.IsOp(")")) break;
            if (_s.SkipOp("*")) star = ParseExpression();
            else if (_s.SkipOp("**")) starStar = ParseExpression();
            else if (_s.Current.Kind == TokenKind.Name && _s.Peek().IsOp("="))
            {
                var name = _s.Next().Value;
                _s.Next();
                keywords.Add((name, ParseExpression()));
            }
            else
            {
                if (keywords.Count > 0 || star is not null || starStar is not null)
                    throw _s.Error("invalid syntax for function call expression");
                positional.Add(ParseExpression());
            }
        }
        _s.ExpectOp(")");
        return new Arguments(positional.ToArray(), keywords.ToArray(), star, starStar);
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            var t = _s.Current;
            if (t.IsOp("|")) node = ParseFilterChain(node)!;
            else if (t.IsName("is")) node = ParseTest(node);
            else if (t.IsOp("(")) node = new CallExpr(t.Position, node, ParseCallArgs());
            else return node;
        }
    }

    private string ParseDottedName()
    {
        var name = _s.ExpectName().Value;
        while (_s.Current.IsOp(".") && _s.Peek().Kind == TokenKind.Name)
        {
            _s.Next();
            name += "." + _s.Next().Value;
        }
        return name;
    }

    /// <summary><c>| name(args) | name ...</c>; with <paramref name="startInline"/> the first pipe is implied.</summary>
    private FilterExpr? ParseFilterChain(Expr? node, bool startInline = false)
    {
        FilterExpr? result = null;
        while (_s.Current.IsOp("|") || startInline)
        {
            if (!startInline) _s.Next();
            startInline = false;
            var position = _s.Current.Position;
            var name = ParseDottedName();
            var args = _s.Current.IsOp("(") ? ParseCallArgs() : Arguments.Empty;
            result = new FilterExpr(position, node, name, args);
            node = result;
        }
        return result;
    }

    private Expr ParseTest(Expr node)
    {
        var position = _s.Next().Position;
        var negated = _s.SkipName("not");
        var name = ParseDottedName();
        var t = _s.Current;
        Arguments args;
        if (t.IsOp("(")) args = ParseCallArgs();
        else if ((t.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                  || t.IsOp("(") || t.IsOp("[") || t.IsOp("{"))
                 && !(t.IsName("else") || t.IsName("or") || t.IsName("and")))
        {
            if (t.IsName("is")) throw _s.Error("You cannot chain multiple tests with is");
            var arg = ParsePostfix(ParsePrimary());
            args = new Arguments([arg], [], null, null);
        }
        else args = Arguments.Empty;
        return new TestExpr(position, node, name, args, negated);
    }
}

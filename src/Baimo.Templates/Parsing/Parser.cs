using Baimo.Templates.Lexing;

namespace Baimo.Templates.Parsing;

/// <summary>Recursive-descent parser from tokens to the statement tree, following Jinja2's grammar.</summary>
internal sealed partial class Parser
{
    private readonly TokenStream _s;
    private readonly Stack<MacroUsage> _macros = new();
    private int _loopDepth;

    private Parser(TokenStream stream) => _s = stream;

    public static Stmt[] Parse(SourceText source)
    {
        var parser = new Parser(new TokenStream(Lexer.Tokenize(source), source));
        Stmt[] body;
        try
        {
            body = parser.ParseBody([]);
        }
        catch (InsufficientExecutionStackException)
        {
            throw parser._s.Error("template nests too deeply");
        }
        if (parser._s.Current.Kind != TokenKind.End)
            throw parser._s.Error($"Encountered unknown tag '{parser._s.Peek().Value}'.");
        return body;
    }

    /// <summary>Statements until a block tag named in <paramref name="endTags"/> (left unconsumed) or the end.</summary>
    private Stmt[] ParseBody(string[] endTags)
    {
        var body = new List<Stmt>();
        while (true)
        {
            var t = _s.Current;
            switch (t.Kind)
            {
                case TokenKind.End:
                    if (endTags.Length > 0)
                        throw _s.Error($"Unexpected end of template. Jinja was looking for the following tags: {string.Join(" or ", endTags.Select(e => $"'{e}'"))}.");
                    return body.ToArray();
                case TokenKind.Data:
                    _s.Next();
                    body.Add(new TextStmt(t.Position, t.Value));
                    break;
                case TokenKind.VariableBegin:
                    _s.Next();
                    var expr = ParseTuple(withCondExpr: true);
                    _s.Expect(TokenKind.VariableEnd);
                    body.Add(new OutputStmt(t.Position, expr));
                    break;
                case TokenKind.BlockBegin:
                    var tag = _s.Peek();
                    if (tag.Kind == TokenKind.Name && endTags.Contains(tag.Value)) return body.ToArray();
                    _s.Next();
                    body.Add(ParseStatement());
                    break;
                default:
                    throw _s.Error($"unexpected {t}");
            }
        }
    }

    private Stmt ParseStatement()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var t = _s.Current;
        if (t.Kind != TokenKind.Name) throw _s.Error("tag name expected");
        _s.Next();
        Stmt stmt = t.Value switch
        {
            "if" => ParseIf(t.Position),
            "for" => ParseFor(t.Position),
            "set" => ParseSet(t.Position),
            "macro" => ParseMacro(t.Position),
            "call" => ParseCallBlock(t.Position),
            "filter" => ParseFilterBlock(t.Position),
            "with" => ParseWith(t.Position),
            "block" => ParseNamedBlock(t.Position),
            "generation" => ParseSimpleBlock(t.Position, "endgeneration"),
            "break" or "continue" => ParseLoopControl(t),
            "include" or "import" or "from" or "extends" =>
                throw _s.Error($"'{t.Value}' is not supported: templates are rendered standalone", t.Position),
            _ => throw _s.Error($"Encountered unknown tag '{t.Value}'.", t.Position),
        };
        return stmt;
    }

    private void EndTag(string name)
    {
        _s.Expect(TokenKind.BlockBegin);
        _s.ExpectName(name);
        _s.Expect(TokenKind.BlockEnd);
    }

    private Stmt ParseLoopControl(Token t)
    {
        if (_loopDepth == 0) throw _s.Error($"Encountered unknown tag '{t.Value}'.", t.Position);
        _s.Expect(TokenKind.BlockEnd);
        return t.Value == "break" ? new BreakStmt(t.Position) : new ContinueStmt(t.Position);
    }

    private Stmt ParseIf(int position)
    {
        var test = ParseTuple(withCondExpr: false);
        _s.Expect(TokenKind.BlockEnd);
        var body = ParseBody(["elif", "else", "endif"]);
        _s.Expect(TokenKind.BlockBegin);
        var tag = _s.Next();
        Stmt[] elseBody;
        switch (tag.Value)
        {
            case "elif":
                elseBody = [ParseIf(tag.Position)];
                return new IfStmt(position, test, body, elseBody);
            case "else":
                _s.Expect(TokenKind.BlockEnd);
                elseBody = ParseBody(["endif"]);
                EndTag("endif");
                return new IfStmt(position, test, body, elseBody);
            default:
                _s.Expect(TokenKind.BlockEnd);
                return new IfStmt(position, test, body, []);
        }
    }

    private Stmt ParseFor(int position)
    {
        var target = ParseAssignTarget(extraEnd: "in");
        _s.ExpectName("in");
        var iterable = ParseTuple(withCondExpr: false, extraEnd: "recursive");
        Expr? filter = null;
        if (_s.SkipName("if")) filter = ParseExpression();
        var recursive = _s.SkipName("recursive");
        _s.Expect(TokenKind.BlockEnd);
        _loopDepth++;
        var body = ParseBody(["endfor", "else"]);
        _loopDepth--;
        Stmt[] elseBody = [];
        _s.Expect(TokenKind.BlockBegin);
        if (_s.Next().Value == "else")
        {
            _s.Expect(TokenKind.BlockEnd);
            var saved = _loopDepth;
            _loopDepth = 0;
            elseBody = ParseBody(["endfor"]);
            _loopDepth = saved;
            EndTag("endfor");
        }
        else _s.Expect(TokenKind.BlockEnd);
        return new ForStmt(position, target, iterable, filter, body, elseBody, recursive);
    }

    private Stmt ParseSet(int position)
    {
        var target = ParseAssignTarget(withNamespace: true);
        if (_s.SkipOp("="))
        {
            var value = ParseTuple(withCondExpr: true);
            _s.Expect(TokenKind.BlockEnd);
            return new SetStmt(position, target, value);
        }
        var filter = _s.Current.IsOp("|") ? ParseFilterChain(null) : null;
        _s.Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endset"]);
        EndTag("endset");
        return new SetBlockStmt(position, target, body, filter);
    }

    private MacroParam[] ParseParams()
    {
        var list = new List<MacroParam>();
        _s.ExpectOp("(");
        while (!_s.Current.IsOp(")"))
        {
            if (list.Count > 0) _s.ExpectOp(",");
            if (_s.Current.IsOp(")")) break;
            var name = _s.ExpectName().Value;
            Expr? def = _s.SkipOp("=") ? ParseExpression() : null;
            if (def is null && list.Count > 0 && list[^1].Default is not null)
                throw _s.Error("non-default argument follows default argument");
            list.Add(new MacroParam(name, def));
        }
        _s.ExpectOp(")");
        return list.ToArray();
    }

    private Stmt ParseMacro(int position)
    {
        var name = _s.ExpectName().Value;
        var usage = new MacroUsage();
        _macros.Push(usage);
        var parameters = ParseParams();
        _s.Expect(TokenKind.BlockEnd);
        var savedLoop = _loopDepth;
        _loopDepth = 0;
        var body = ParseBody(["endmacro"]);
        _loopDepth = savedLoop;
        _macros.Pop();
        EndTag("endmacro");
        return new MacroStmt(position, name, parameters, body, usage);
    }

    private Stmt ParseCallBlock(int position)
    {
        var usage = new MacroUsage();
        _macros.Push(usage);
        var parameters = _s.Current.IsOp("(") ? ParseParams() : [];
        _macros.Pop();
        var call = ParseExpression();
        if (call is not CallExpr callExpr) throw _s.Error("expected call", position);
        _s.Expect(TokenKind.BlockEnd);
        _macros.Push(usage);
        var body = ParseBody(["endcall"]);
        _macros.Pop();
        EndTag("endcall");
        return new CallBlockStmt(position, callExpr, parameters, body, usage);
    }

    private Stmt ParseFilterBlock(int position)
    {
        var filter = ParseFilterChain(null, startInline: true)!;
        _s.Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endfilter"]);
        EndTag("endfilter");
        return new FilterBlockStmt(position, filter, body);
    }

    private Stmt ParseWith(int position)
    {
        var assignments = new List<(Expr, Expr)>();
        while (_s.Current.Kind != TokenKind.BlockEnd)
        {
            if (assignments.Count > 0) _s.ExpectOp(",");
            var target = ParseAssignTarget();
            _s.ExpectOp("=");
            assignments.Add((target, ParseExpression()));
        }
        _s.Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endwith"]);
        EndTag("endwith");
        return new WithStmt(position, assignments.ToArray(), body);
    }

    private Stmt ParseNamedBlock(int position)
    {
        var name = _s.ExpectName().Value;
        _s.SkipName("scoped");
        _s.SkipName("required");
        _s.Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endblock"]);
        _s.Expect(TokenKind.BlockBegin);
        _s.ExpectName("endblock");
        if (_s.Current.Kind == TokenKind.Name && _s.Next().Value != name)
            throw _s.Error($"mismatched block name, expected '{name}'");
        _s.Expect(TokenKind.BlockEnd);
        return new ScopedStmt(position, body);
    }

    private Stmt ParseSimpleBlock(int position, string end)
    {
        _s.Expect(TokenKind.BlockEnd);
        var body = ParseBody([end]);
        EndTag(end);
        return new ScopedStmt(position, body);
    }

    /// <summary>A name, <c>ns.attr</c> (for set) or a tuple of names, as a for/set target.</summary>
    private Expr ParseAssignTarget(string? extraEnd = null, bool withNamespace = false)
    {
        if (withNamespace && _s.Current.Kind == TokenKind.Name && _s.Peek().IsOp(".") && _s.Peek(2).Kind == TokenKind.Name)
        {
            var ns = _s.Next();
            _s.Next();
            var attr = _s.Next();
            return new AttrExpr(ns.Position, new NameExpr(ns.Position, ns.Value), attr.Value);
        }
        var position = _s.Current.Position;
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0) _s.ExpectOp(",");
            if (_s.Current.Kind is TokenKind.BlockEnd || _s.Current.IsOp("=") || _s.Current.IsOp(")") || (extraEnd is not null && _s.Current.IsName(extraEnd)))
                break;
            items.Add(ParseTargetPrimary());
            if (_s.Current.IsOp(",")) isTuple = true;
            else break;
        }
        if (items.Count == 0) throw _s.Error("expected an assignment target");
        return isTuple ? new TupleExpr(position, items.ToArray()) : items[0];
    }

    private Expr ParseTargetPrimary()
    {
        var t = _s.Current;
        if (t.Kind == TokenKind.Name)
        {
            _s.Next();
            if (t.Value is "true" or "false" or "none" or "True" or "False" or "None")
                throw _s.Error($"can't assign to '{t.Value}'", t.Position);
            return new NameExpr(t.Position, t.Value);
        }
        if (_s.SkipOp("("))
        {
            var inner = ParseAssignTarget();
            _s.ExpectOp(")");
            return inner;
        }
        throw _s.Error($"can't assign to {t}");
    }
}

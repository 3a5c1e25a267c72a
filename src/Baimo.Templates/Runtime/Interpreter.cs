using Baimo.Templates.Builtins;
using System.Runtime.CompilerServices;
using System.Text;
using Baimo.Templates.Lexing;
using Baimo.Templates.Parsing;

namespace Baimo.Templates.Runtime;

/// <summary>Walks the statement tree, writing output; one instance per render.</summary>
internal sealed partial class Interpreter
{
    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private readonly SourceText _source;
    private StringBuilder _out = new();
    private long _steps;
    private int _depth;

    public Interpreter(SourceText source, TemplateOptions options)
    {
        _source = source;
        Options = options;
    }

    public TemplateOptions Options { get; }

    public string Render(Stmt[] body, Scope scope)
    {
        try
        {
            ExecBlock(body, scope);
            return _out.ToString();
        }
        catch (InsufficientExecutionStackException)
        {
            throw new TemplateLimitException("template nests too deeply");
        }
    }

    /// <summary>Counts one unit of work and enforces the step limit.</summary>
    public void Step()
    {
        if (++_steps > Options.MaxSteps)
            throw new TemplateLimitException($"template exceeded {Options.MaxSteps} steps (runaway loop or recursion?)");
    }

    /// <summary>Runs <paramref name="action"/> one call level deeper, enforcing the depth limit.</summary>
    public T Nested<T>(Func<T> action)
    {
        if (++_depth > Options.MaxCallDepth)
        {
            _depth--;
            throw new TemplateLimitException($"template exceeded {Options.MaxCallDepth} nested calls (runaway recursion?)");
        }
        RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            return action();
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Renders <paramref name="body"/> into a string of its own, as macros and block sets do.</summary>
    public string Capture(Stmt[] body, Scope scope)
    {
        var saved = _out;
        _out = new StringBuilder();
        try
        {
            ExecBlock(body, scope);
            return _out.ToString();
        }
        finally
        {
            _out = saved;
        }
    }

    private void Write(string text)
    {
        if (_out.Length + text.Length > Options.MaxOutputLength)
            throw new TemplateLimitException($"output exceeded {Options.MaxOutputLength} characters");
        _out.Append(text);
    }

    private Flow ExecBlock(Stmt[] body, Scope scope)
    {
        foreach (var stmt in body)
        {
            var flow = Exec(stmt, scope);
            if (flow != Flow.Normal) return flow;
        }
        return Flow.Normal;
    }

    private Flow Exec(Stmt stmt, Scope scope)
    {
        Step();
        try
        {
            switch (stmt)
            {
                case TextStmt t:
                    Write(t.Text);
                    return Flow.Normal;
                case OutputStmt o:
                    Write(PyFormat.Str(Eval(o.Value, scope)));
                    return Flow.Normal;
                case IfStmt i:
                    return ExecBlock(PyOps.Truthy(Eval(i.Test, scope)) ? i.Body : i.Else, scope);
                case ForStmt f:
                    ExecFor(f, Eval(f.Iterable, scope), scope, 0);
                    return Flow.Normal;
                case SetStmt s:
                    Assign(s.Target, Eval(s.Value, scope), scope);
                    return Flow.Normal;
                case SetBlockStmt sb:
                    object? captured = Capture(sb.Body, scope);
                    if (sb.Filter is not null) captured = ApplyFilterChain(sb.Filter, captured, scope);
                    Assign(sb.Target, captured, scope);
                    return Flow.Normal;
                case MacroStmt m:
                    scope.Set(m.Name, new Macro(m.Name, m.Params, m.Body, m.Usage, scope));
                    return Flow.Normal;
                case CallBlockStmt c:
                    ExecCallBlock(c, scope);
                    return Flow.Normal;
                case FilterBlockStmt fb:
                    Write(PyFormat.Str(ApplyFilterChain(fb.Filter, Capture(fb.Body, scope), scope)));
                    return Flow.Normal;
                case WithStmt w:
                    var inner = new Scope(scope);
                    foreach (var (target, value) in w.Assignments) Assign(target, Eval(value, scope), inner);
                    return ExecBlock(w.Body, inner);
                case ScopedStmt sc:
                    return ExecBlock(sc.Body, new Scope(scope));
                case BreakStmt:
                    return Flow.Break;
                case ContinueStmt:
                    return Flow.Continue;
                default:
                    throw new TemplateException($"unsupported statement {stmt.GetType().Name}");
            }
        }
        catch (TemplateException ex) when (ex.Line == 0 && ex is not TemplateLimitException)
        {
            (ex.Line, ex.Column) = _source.Locate(stmt.Position);
            throw;
        }
    }

    /// <summary>Evaluates a filter chain whose innermost target is the given value.</summary>
    private object? ApplyFilterChain(FilterExpr filter, object? value, Scope scope)
    {
        if (filter.Target is FilterExpr inner) value = ApplyFilterChain(inner, value, scope);
        return Filters.Apply(this, filter.Name, value, EvalArgs(filter.Args, scope));
    }

    private void ExecFor(ForStmt f, object? iterable, Scope scope, int depth)
    {
        var items = new List<object?>();
        foreach (var item in PyOps.Iterate(iterable))
        {
            if (f.Filter is not null)
            {
                var test = new Scope(scope);
                Assign(f.Target, item, test);
                if (!PyOps.Truthy(Eval(f.Filter, test))) continue;
            }
            items.Add(item);
        }
        if (items.Count == 0)
        {
            ExecBlock(f.Else, scope);
            return;
        }
        Func<object?, string>? recurse = null;
        if (f.Recursive)
            recurse = sub => Nested(() =>
            {
                var saved = _out;
                _out = new StringBuilder();
                try
                {
                    ExecFor(f, sub, scope, depth + 1);
                    return _out.ToString();
                }
                finally
                {
                    _out = saved;
                }
            });
        var loop = new LoopContext(items, depth, recurse);
        for (var i = 0; i < items.Count; i++)
        {
            Step();
            loop.Index0 = i;
            var iter = new Scope(scope);
            Assign(f.Target, items[i], iter);
            iter.Set("loop", loop);
            if (ExecBlock(f.Body, iter) == Flow.Break) break;
        }
    }

    private void ExecCallBlock(CallBlockStmt c, Scope scope)
    {
        var caller = new Macro("caller", c.Params, c.Body, c.Usage, scope);
        var target = Eval(c.Call.Target, scope);
        var args = EvalArgs(c.Call.Args, scope);
        if (target is Macro m) Write(PyFormat.Str(m.Invoke(this, args, caller)));
        else Write(PyFormat.Str(CallValue(target, args)));
    }

    private void Assign(Expr target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameExpr n:
                scope.Set(n.Name, value);
                break;
            case TupleExpr t:
                var values = PyOps.ToList(value);
                if (values.Count < t.Items.Length)
                    throw new TemplateException($"ValueError: not enough values to unpack (expected {t.Items.Length}, got {values.Count})");
                if (values.Count > t.Items.Length)
                    throw new TemplateException($"ValueError: too many values to unpack (expected {t.Items.Length})");
                for (var i = 0; i < values.Count; i++) Assign(t.Items[i], values[i], scope);
                break;
            case AttrExpr { Target: NameExpr ns } a:
                if (!scope.TryGet(ns.Name, out var obj) || obj is not PyNamespace space)
                    throw new TemplateException("cannot assign attribute on non-namespace object");
                space.Attributes[a.Name] = value;
                break;
            default:
                throw new TemplateException("cannot assign to this expression");
        }
    }
}

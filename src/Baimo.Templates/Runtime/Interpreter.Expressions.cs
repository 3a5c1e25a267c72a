using Baimo.Templates.Builtins;
using System.Runtime.CompilerServices;
using System.Text;
using Baimo.Templates.Parsing;

namespace Baimo.Templates.Runtime;

internal sealed partial class Interpreter
{
    public object? Eval(Expr expr, Scope scope)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expr)
        {
            case ConstExpr c: return c.Value;
            case NameExpr n: return scope.TryGet(n.Name, out var v) ? v : Undefined.Named(n.Name);
            case AttrExpr a: return GetAttribute(Eval(a.Target, scope), a.Name);
            case ItemExpr i:
                var target = Eval(i.Target, scope);
                if (i.Index is SliceExpr s)
                    return PyOps.Slice(target, SliceBound(s.Start, scope), SliceBound(s.Stop, scope), SliceBound(s.Step, scope));
                return GetItem(target, Eval(i.Index, scope));
            case BinaryExpr { Op: "and" } and:
                var left = Eval(and.Left, scope);
                return PyOps.Truthy(left) ? Eval(and.Right, scope) : left;
            case BinaryExpr { Op: "or" } or:
                var l = Eval(or.Left, scope);
                return PyOps.Truthy(l) ? l : Eval(or.Right, scope);
            case BinaryExpr b:
                return PyArithmetic.Binary(b.Op, Eval(b.Left, scope), Eval(b.Right, scope), Options.MaxOutputLength);
            case UnaryExpr u:
                var operand = Eval(u.Operand, scope);
                return u.Op switch
                {
                    "not" => !PyOps.Truthy(operand),
                    "-" => PyArithmetic.Negate(operand),
                    _ => PyArithmetic.Plus(operand),
                };
            case ConcatExpr cc:
                var sb = new StringBuilder();
                foreach (var part in cc.Parts) sb.Append(PyFormat.Str(Eval(part, scope)));
                if (sb.Length > Options.MaxOutputLength) throw new TemplateLimitException("string grows past the output limit");
                return sb.ToString();
            case CompareExpr cmp: return EvalCompare(cmp, scope);
            case CondExpr ce:
                if (PyOps.Truthy(Eval(ce.Test, scope))) return Eval(ce.Then, scope);
                return ce.Else is null ? new Undefined("the inline if-expression evaluated to false and no else section was defined.") : Eval(ce.Else, scope);
            case ListExpr le:
                var list = new List<object?>(le.Items.Length);
                foreach (var item in le.Items) list.Add(Eval(item, scope));
                return list;
            case TupleExpr te:
                var arr = new object?[te.Items.Length];
                for (var k = 0; k < arr.Length; k++) arr[k] = Eval(te.Items[k], scope);
                return new PyTuple(arr);
            case DictExpr de:
                var dict = new PyDict(de.Items.Length);
                foreach (var (key, value) in de.Items) dict.Set(Eval(key, scope), Eval(value, scope));
                return dict;
            case FilterExpr f:
                return Filters.Apply(this, f.Name, f.Target is null ? null : Eval(f.Target, scope), EvalArgs(f.Args, scope));
            case TestExpr t:
                var result = Tests.Apply(this, t.Name, Eval(t.Target, scope), EvalArgs(t.Args, scope));
                return t.Negated ? !result : result;
            case CallExpr call:
                var callee = Eval(call.Target, scope);
                return CallValue(callee, EvalArgs(call.Args, scope));
            case SliceExpr:
                throw new TemplateException("slice outside a subscript");
            default:
                throw new TemplateException($"unsupported expression {expr.GetType().Name}");
        }
    }

    private long? SliceBound(Expr? e, Scope scope)
    {
        if (e is null) return null;
        var v = Eval(e, scope);
        if (v is null) return null;
        if (v is long or bool) return PyOps.ToLong(v);
        if (v is Undefined u) throw u.Fail();
        throw PyOps.TypeError("slice indices must be integers or None or have an __index__ method");
    }

    private bool EvalCompare(CompareExpr cmp, Scope scope)
    {
        var left = Eval(cmp.First, scope);
        foreach (var (op, operandExpr) in cmp.Rest)
        {
            var right = Eval(operandExpr, scope);
            var ok = op switch
            {
                "==" => PyOps.AreEqual(left, right),
                "!=" => !PyOps.AreEqual(left, right),
                "<" => PyOps.Compare(left, right, op) < 0,
                "<=" => PyOps.Compare(left, right, op) <= 0,
                ">" => PyOps.Compare(left, right, op) > 0,
                ">=" => PyOps.Compare(left, right, op) >= 0,
                "in" => PyOps.Contains(right, left),
                _ => !PyOps.Contains(right, left),
            };
            if (!ok) return false;
            left = right;
        }
        return true;
    }

    private CallArgs EvalArgs(Arguments args, Scope scope)
    {
        if (args.Positional.Length == 0 && args.Keywords.Length == 0 && args.Star is null && args.StarStar is null)
            return CallArgs.None;
        var positional = new List<object?>(args.Positional.Length);
        foreach (var p in args.Positional) positional.Add(Eval(p, scope));
        if (args.Star is not null) positional.AddRange(PyOps.Iterate(Eval(args.Star, scope)));
        var keywords = new List<KeyValuePair<string, object?>>(args.Keywords.Length);
        foreach (var (name, value) in args.Keywords) keywords.Add(new(name, Eval(value, scope)));
        if (args.StarStar is not null)
        {
            if (Eval(args.StarStar, scope) is not PyDict d) throw PyOps.TypeError("argument after ** must be a mapping");
            foreach (var kv in d)
            {
                if (!PyOps.TryString(kv.Key, out var key)) throw PyOps.TypeError("keywords must be strings");
                keywords.Add(new(key, kv.Value));
            }
        }
        return new CallArgs(positional, keywords);
    }

    public object? CallValue(object? callee, CallArgs args)
    {
        Step();
        return callee switch
        {
            Macro m => m.Invoke(this, args, null),
            ICallable c => c.Call(this, args),
            Undefined u => throw u.Fail(),
            LoopContext { Recurse: not null } loop => args.Count == 1 ? loop.Recurse(args.Positional[0])
                : throw PyOps.TypeError("loop() takes exactly one argument"),
            _ => throw PyOps.TypeError($"'{PyFormat.TypeName(callee)}' object is not callable"),
        };
    }

    /// <summary>Jinja's <c>obj.name</c>: a Python attribute first (methods), then the item of that name.</summary>
    public object? GetAttribute(object? obj, string name)
    {
        switch (obj)
        {
            case Undefined u: throw u.Fail();
            case PyDict d:
                if (PyMethods.Has(d, name)) return Method(d, name);
                return d.TryGetValue(name, out var v) ? v : Undefined.MissingAttribute(obj, name);
            case PyNamespace ns:
                return ns.Attributes.TryGetValue(name, out var nv) ? nv : Undefined.MissingAttribute(obj, name);
            case LoopContext loop:
                return loop.Get(name);
            case Macro m:
                return name switch
                {
                    "name" => m.Name,
                    "arguments" => new PyTuple(m.Params.Select(p => (object?)p.Name).ToArray()),
                    "catch_kwargs" => m.Usage.Kwargs,
                    "catch_varargs" => m.Usage.Varargs,
                    "caller" => m.Usage.Caller,
                    _ => Undefined.MissingAttribute(obj, name),
                };
            case null:
                return Undefined.MissingAttribute(obj, name);
            default:
                if (name.StartsWith('_')) return new Undefined($"access to attribute '{name}' of '{PyFormat.TypeName(obj)}' object is unsafe.", true);
                return PyMethods.Has(obj, name) ? Method(obj, name) : Undefined.MissingAttribute(obj, name);
        }
    }

    /// <summary>Python's getattr without Jinja's fallback to items, as the <c>attr</c> filter uses it.</summary>
    public object? GetPythonAttribute(object? obj, string name) => obj switch
    {
        PyDict d when !PyMethods.Has(d, name) => Undefined.MissingAttribute(obj, name),
        _ => GetAttribute(obj, name),
    };

    private object? Method(object receiver, string name)
    {
        if (Options.ImmutableCollections && PyMethods.Mutates(receiver, name))
            return new Undefined($"access to attribute '{name}' of '{PyFormat.TypeName(receiver)}' object is unsafe.", true);
        return new BoundMethod(receiver, name);
    }

    /// <summary>Jinja's <c>obj[key]</c>: the item first, then (for string keys) the attribute.</summary>
    public object? GetItem(object? obj, object? key)
    {
        switch (obj)
        {
            case Undefined u: throw u.Fail();
            case PyDict d:
                if (key is List<object?> or PyDict) throw PyOps.TypeError($"unhashable type: '{PyFormat.TypeName(key)}'");
                if (key is not Undefined && d.TryGetValue(key, out var v)) return v;
                break;
            case List<object?> or PyTuple or string or Markup when key is long or bool:
                var index = PyOps.ToLong(key);
                switch (obj)
                {
                    case List<object?> l:
                        if (index < 0) index += l.Count;
                        if (index >= 0 && index < l.Count) return l[(int)index];
                        break;
                    case PyTuple t:
                        if (index < 0) index += t.Count;
                        if (index >= 0 && index < t.Count) return t[(int)index];
                        break;
                    default:
                        PyOps.TryString(obj, out var s);
                        var ch = PyStrings.CharAt(s, index);
                        if (ch is not null) return ch;
                        break;
                }
                return new Undefined($"{PyFormat.TypeName(obj)} object has no element {index}");
        }
        if (PyOps.TryString(key, out var name)) return GetAttribute(obj, name);
        return new Undefined($"'{PyFormat.TypeName(obj)} object' has no attribute {PyFormat.Repr(key)}");
    }
}

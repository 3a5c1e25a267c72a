using Baimo.Templates.Parsing;

namespace Baimo.Templates.Runtime;

/// <summary>A macro (or the <c>caller</c> of a call block): a closure over the frame that defined it.</summary>
internal sealed class Macro(string name, MacroParam[] parameters, Stmt[] body, MacroUsage usage, Scope closure) : ICallable
{
    public string Name { get; } = name;
    public MacroParam[] Params { get; } = parameters;
    public MacroUsage Usage { get; } = usage;

    public object? Call(Interpreter interpreter, CallArgs args) => Invoke(interpreter, args, null);

    public object? Invoke(Interpreter interpreter, CallArgs args, Macro? caller)
    {
        return interpreter.Nested(() =>
        {
            var scope = new Scope(closure);
            var used = new bool[Params.Length];
            for (var i = 0; i < Params.Length && i < args.Positional.Count; i++)
            {
                scope.Set(Params[i].Name, args.Positional[i]);
                used[i] = true;
            }
            var extraKeywords = new PyDict();
            foreach (var kv in args.Keywords)
            {
                var idx = Array.FindIndex(Params, p => p.Name == kv.Key);
                if (idx >= 0)
                {
                    if (used[idx]) throw PyOps.TypeError($"macro '{Name}' got multiple values for argument '{kv.Key}'");
                    scope.Set(kv.Key, kv.Value);
                    used[idx] = true;
                }
                else if (kv.Key == "caller" && Usage.Caller) caller ??= kv.Value as Macro;
                else if (Usage.Kwargs) extraKeywords.Set(kv.Key, kv.Value);
                else throw PyOps.TypeError($"macro '{Name}' takes no keyword argument '{kv.Key}'");
            }
            for (var i = 0; i < Params.Length; i++)
            {
                if (used[i]) continue;
                scope.Set(Params[i].Name, Params[i].Default is { } def
                    ? interpreter.Eval(def, scope)
                    : new Undefined($"parameter '{Params[i].Name}' was not provided"));
            }
            if (args.Positional.Count > Params.Length)
            {
                if (!Usage.Varargs)
                    throw PyOps.TypeError($"macro '{Name}' takes not more than {Params.Length} argument(s)");
                scope.Set("varargs", new PyTuple(args.Positional.Skip(Params.Length).ToArray()));
            }
            else if (Usage.Varargs) scope.Set("varargs", PyTuple.Empty);
            if (Usage.Kwargs) scope.Set("kwargs", extraKeywords);
            if (caller is not null) scope.Set("caller", caller);
            else if (Usage.Caller) scope.Set("caller", new Undefined("No caller defined"));
            return (object?)interpreter.Capture(body, scope);
        });
    }
}

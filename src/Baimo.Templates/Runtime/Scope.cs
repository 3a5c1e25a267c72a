namespace Baimo.Templates.Runtime;

/// <summary>
/// A frame of variables. The template, each loop iteration, each macro call and each <c>with</c> block get
/// their own; <c>if</c> does not. Lookups walk outwards; assignments stay in the frame.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private Dictionary<string, object?>? _vars;

    public Scope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s is not null; s = s.Parent)
            if (s._vars is not null && s._vars.TryGetValue(name, out value)) return true;
        value = null;
        return false;
    }

    public void Set(string name, object? value) => (_vars ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;
}

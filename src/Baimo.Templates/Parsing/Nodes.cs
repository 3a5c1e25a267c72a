namespace Baimo.Templates.Parsing;

/// <summary>A node of the template tree; <see cref="Position"/> is its offset in the source.</summary>
internal abstract record Node(int Position);

// ---- expressions ----

internal abstract record Expr(int Position) : Node(Position);

internal sealed record ConstExpr(int Position, object? Value) : Expr(Position);

internal sealed record NameExpr(int Position, string Name) : Expr(Position);

internal sealed record ListExpr(int Position, Expr[] Items) : Expr(Position);

internal sealed record TupleExpr(int Position, Expr[] Items) : Expr(Position);

internal sealed record DictExpr(int Position, (Expr Key, Expr Value)[] Items) : Expr(Position);

internal sealed record AttrExpr(int Position, Expr Target, string Name) : Expr(Position);

internal sealed record ItemExpr(int Position, Expr Target, Expr Index) : Expr(Position);

internal sealed record SliceExpr(int Position, Expr? Start, Expr? Stop, Expr? Step) : Expr(Position);

internal sealed record Arguments(Expr[] Positional, (string Name, Expr Value)[] Keywords, Expr? Star, Expr? StarStar)
{
    public static readonly Arguments Empty = new([], [], null, null);
}

internal sealed record CallExpr(int Position, Expr Target, Arguments Args) : Expr(Position);

internal sealed record FilterExpr(int Position, Expr? Target, string Name, Arguments Args) : Expr(Position);

internal sealed record TestExpr(int Position, Expr Target, string Name, Arguments Args, bool Negated) : Expr(Position);

internal sealed record UnaryExpr(int Position, string Op, Expr Operand) : Expr(Position);

internal sealed record BinaryExpr(int Position, string Op, Expr Left, Expr Right) : Expr(Position);

internal sealed record ConcatExpr(int Position, Expr[] Parts) : Expr(Position);

internal sealed record CompareExpr(int Position, Expr First, (string Op, Expr Operand)[] Rest) : Expr(Position);

internal sealed record CondExpr(int Position, Expr Test, Expr Then, Expr? Else) : Expr(Position);

// ---- statements ----

internal abstract record Stmt(int Position) : Node(Position);

internal sealed record TextStmt(int Position, string Text) : Stmt(Position);

internal sealed record OutputStmt(int Position, Expr Value) : Stmt(Position);

internal sealed record IfStmt(int Position, Expr Test, Stmt[] Body, Stmt[] Else) : Stmt(Position);

internal sealed record ForStmt(int Position, Expr Target, Expr Iterable, Expr? Filter, Stmt[] Body, Stmt[] Else, bool Recursive) : Stmt(Position);

/// <summary><c>{% set target = value %}</c>; the target is a name, a tuple of names or <c>ns.attr</c>.</summary>
internal sealed record SetStmt(int Position, Expr Target, Expr Value) : Stmt(Position);

/// <summary><c>{% set target | filter %}body{% endset %}</c>.</summary>
internal sealed record SetBlockStmt(int Position, Expr Target, Stmt[] Body, FilterExpr? Filter) : Stmt(Position);

internal sealed record MacroParam(string Name, Expr? Default);

internal sealed record MacroStmt(int Position, string Name, MacroParam[] Params, Stmt[] Body, MacroUsage Usage) : Stmt(Position);

/// <summary>Which implicit macro variables a body refers to.</summary>
internal sealed class MacroUsage
{
    public bool Varargs;
    public bool Kwargs;
    public bool Caller;
}

internal sealed record CallBlockStmt(int Position, CallExpr Call, MacroParam[] Params, Stmt[] Body, MacroUsage Usage) : Stmt(Position);

internal sealed record FilterBlockStmt(int Position, FilterExpr Filter, Stmt[] Body) : Stmt(Position);

internal sealed record WithStmt(int Position, (Expr Target, Expr Value)[] Assignments, Stmt[] Body) : Stmt(Position);

/// <summary>A body rendered in place with its own scope: <c>{% block %}</c>, <c>{% generation %}</c>.</summary>
internal sealed record ScopedStmt(int Position, Stmt[] Body) : Stmt(Position);

internal sealed record BreakStmt(int Position) : Stmt(Position);

internal sealed record ContinueStmt(int Position) : Stmt(Position);

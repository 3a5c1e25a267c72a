namespace Baimo.Templates.Lexing;

internal enum TokenKind
{
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>One lexeme; <see cref="Position"/> is the offset in the normalised source.</summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Position, object? Literal = null)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;
    public bool IsName(string value) => Kind == TokenKind.Name && Value == value;
    public bool IsOp(string value) => Kind == TokenKind.Operator && Value == value;

    public override string ToString() => Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.Data => "template data",
        _ => $"'{Value}'",
    };
}

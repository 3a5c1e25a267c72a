using Baimo.Templates.Lexing;

namespace Baimo.Templates.Parsing;

/// <summary>Cursor over the token list with look-ahead and expectation helpers.</summary>
internal sealed class TokenStream(List<Token> tokens, SourceText source)
{
    private int _index;

    public Token Current => tokens[_index];
    public Token Peek(int ahead = 1) => tokens[Math.Min(_index + ahead, tokens.Count - 1)];

    public Token Next()
    {
        var t = tokens[_index];
        if (_index < tokens.Count - 1) _index++;
        return t;
    }

    public bool SkipOp(string op)
    {
        if (!Current.IsOp(op)) return false;
        Next();
        return true;
    }

    public bool SkipName(string name)
    {
        if (!Current.IsName(name)) return false;
        Next();
        return true;
    }

    public Token ExpectOp(string op) =>
        Current.IsOp(op) ? Next() : throw Error($"expected token '{op}', got {Current}");

    public Token ExpectName(string? name = null)
    {
        if (Current.Kind == TokenKind.Name && (name is null || Current.Value == name)) return Next();
        throw Error(name is null ? $"expected a name, got {Current}" : $"expected '{name}', got {Current}");
    }

    public Token Expect(TokenKind kind) =>
        Current.Kind == kind ? Next() : throw Error($"expected {new Token(kind, "", 0)}, got {Current}");

    public TemplateSyntaxException Error(string message, int? position = null)
    {
        var (line, col) = source.Locate(position ?? Current.Position);
        return new TemplateSyntaxException(message, line, col);
    }
}

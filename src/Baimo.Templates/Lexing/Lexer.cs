using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Baimo.Templates.Lexing;

/// <summary>
/// Splits a template into data and tag tokens with Jinja2's whitespace rules: <c>-</c> strips all
/// whitespace on its side, trim_blocks drops the newline after a block or comment tag, lstrip_blocks drops
/// spaces and tabs before a block or comment tag that starts its line, <c>+</c> disables either.
/// </summary>
internal sealed partial class Lexer
{
    private static readonly string[] Operators =
        ["**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "(", ")", "[", "]", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"];

    [GeneratedRegex(@"\G\{%[-+]?\s*raw\s*(-%\}\s*|%\})")]
    private static partial Regex RawBegin();

    [GeneratedRegex(@"\{%([-+]?)\s*endraw\s*(\+%\}|-%\}\s*|%\}\n?)")]
    private static partial Regex RawEnd();

    private readonly SourceText _source;
    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private bool _lineStarting = true;

    private Lexer(SourceText source)
    {
        _source = source;
        _text = source.Text;
    }

    public static List<Token> Tokenize(SourceText source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private TemplateSyntaxException Error(string message, int position)
    {
        var (line, col) = _source.Locate(position);
        return new TemplateSyntaxException(message, line, col);
    }

    private void Run()
    {
        while (_pos < _text.Length)
        {
            var start = FindTagStart(_pos);
            if (start < 0)
            {
                AddData(_text[_pos..], _pos);
                break;
            }
            var kind = _text[start + 1];
            var sign = start + 2 < _text.Length && _text[start + 2] is '-' or '+' ? _text[start + 2] : '\0';
            var data = ApplyLeftWhitespace(_text[_pos..start], kind, sign);
            AddData(data, _pos);

            if (kind == '%' && RawBegin().Match(_text, start) is { Success: true } raw)
            {
                LexRaw(start, raw);
                continue;
            }
            var inner = start + 2 + (sign != '\0' ? 1 : 0);
            switch (kind)
            {
                case '#': LexComment(start, inner); break;
                case '{': LexTag(start, inner, TokenKind.VariableBegin, TokenKind.VariableEnd, '}'); break;
                default: LexTag(start, inner, TokenKind.BlockBegin, TokenKind.BlockEnd, '%'); break;
            }
        }
        _tokens.Add(new Token(TokenKind.End, "", _text.Length));
    }

    private int FindTagStart(int from)
    {
        var i = from;
        while (true)
        {
            i = _text.IndexOf('{', i);
            if (i < 0 || i + 1 >= _text.Length) return -1;
            if (_text[i + 1] is '{' or '%' or '#') return i;
            i++;
        }
    }

    private void AddData(string data, int position)
    {
        if (data.Length > 0) _tokens.Add(new Token(TokenKind.Data, data, position));
    }

    /// <summary>The data before a tag, after the tag's <c>-</c> or lstrip_blocks has applied.</summary>
    private string ApplyLeftWhitespace(string data, char kind, char sign)
    {
        if (sign == '-') return data.TrimEnd(WhiteSpace);
        if (sign == '+' || kind == '{') return data;
        var lineStart = data.LastIndexOf('\n') + 1;
        if (lineStart > 0 || _lineStarting)
        {
            var rest = data.AsSpan(lineStart);
            if (rest.Length > 0 && IsAllWhitespace(rest)) return data[..lineStart];
        }
        return data;
    }

    private static readonly char[] WhiteSpace = [' ', '\t', '\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\xa0',
        '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a',
        '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];

    private static bool IsAllWhitespace(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (Array.IndexOf(WhiteSpace, c) < 0) return false;
        return true;
    }

    /// <summary>Consumes what follows a closing tag: all whitespace after <c>-</c>, one newline under trim_blocks.</summary>
    private void AfterTagEnd(int endPos, char sign, bool trimNewline)
    {
        _pos = endPos;
        if (sign == '-')
            while (_pos < _text.Length && Array.IndexOf(WhiteSpace, _text[_pos]) >= 0) _pos++;
        else if (sign != '+' && trimNewline && _pos < _text.Length && _text[_pos] == '\n') _pos++;
        _lineStarting = _pos > 0 && _text[_pos - 1] == '\n';
    }

    private void LexComment(int start, int inner)
    {
        var close = _text.IndexOf("#}", inner, StringComparison.Ordinal);
        if (close < 0) throw Error("Missing end of comment tag", start);
        var sign = close > inner && _text[close - 1] is '-' or '+' ? _text[close - 1] : '\0';
        AfterTagEnd(close + 2, sign, trimNewline: true);
    }

    private void LexRaw(int start, Match begin)
    {
        var after = start + begin.Length;
        _lineStarting = begin.Value.EndsWith('\n');
        var end = RawEnd().Match(_text, after);
        if (!end.Success) throw Error("Missing end of raw directive", start);
        var sign = end.Groups[1].Value is "-" ? '-' : end.Groups[1].Value is "+" ? '+' : '\0';
        var body = ApplyLeftWhitespace(_text[after..end.Index], '%', sign);
        AddData(body, after);
        _pos = end.Index + end.Length;
        _lineStarting = end.Value.EndsWith('\n');
    }

    private void LexTag(int start, int inner, TokenKind beginKind, TokenKind endKind, char closer)
    {
        _tokens.Add(new Token(beginKind, _text.Substring(start, inner - start), start));
        var i = inner;
        var depth = 0;
        while (true)
        {
            while (i < _text.Length && char.IsWhiteSpace(_text[i])) i++;
            if (i >= _text.Length) throw Error($"unexpected end of template, expected '{closer}}}'", start);
            if (depth == 0)
            {
                var c = _text[i];
                if ((c == '-' || (c == '+' && closer == '%')) && Matches(i + 1, closer))
                {
                    _tokens.Add(new Token(endKind, _text.Substring(i, 3), i));
                    AfterTagEnd(i + 3, c, trimNewline: closer == '%');
                    return;
                }
                if (Matches(i, closer))
                {
                    _tokens.Add(new Token(endKind, _text.Substring(i, 2), i));
                    AfterTagEnd(i + 2, '\0', trimNewline: closer == '%');
                    return;
                }
            }
            i = LexOne(i, ref depth);
        }
    }

    private bool Matches(int i, char closer) => i + 1 < _text.Length && _text[i] == closer && _text[i + 1] == '}';

    private int LexOne(int i, ref int depth)
    {
        var c = _text[i];
        if (char.IsLetter(c) || c == '_')
        {
            var j = i + 1;
            while (j < _text.Length && (char.IsLetterOrDigit(_text[j]) || _text[j] == '_')) j++;
            _tokens.Add(new Token(TokenKind.Name, _text[i..j], i));
            return j;
        }
        if (char.IsAsciiDigit(c)) return LexNumber(i);
        if (c is '\'' or '"') return LexString(i);
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(_text, i, op, 0, op.Length) != 0) continue;
            if (op is "(" or "[" or "{") depth++;
            else if (op is ")" or "]" or "}")
            {
                if (depth == 0) throw Error($"unexpected '{op}'", i);
                depth--;
            }
            _tokens.Add(new Token(TokenKind.Operator, op, i));
            return i + op.Length;
        }
        throw Error($"unexpected char {PyFormatChar(c)}", i);
    }

    private static string PyFormatChar(char c) => c == '\'' ? "\"'\"" : $"'{c}'";

    private int LexNumber(int i)
    {
        var j = i;
        while (j < _text.Length && (char.IsAsciiDigit(_text[j]) || _text[j] == '_')) j++;
        var isFloat = false;
        var afterDot = _tokens.Count > 0 && _tokens[^1].IsOp(".");
        if (!afterDot && j + 1 < _text.Length && _text[j] == '.' && char.IsAsciiDigit(_text[j + 1]))
        {
            isFloat = true;
            j++;
            while (j < _text.Length && (char.IsAsciiDigit(_text[j]) || _text[j] == '_')) j++;
        }
        if (!afterDot && j < _text.Length && _text[j] is 'e' or 'E')
        {
            var k = j + 1;
            if (k < _text.Length && _text[k] is '+' or '-') k++;
            if (k < _text.Length && char.IsAsciiDigit(_text[k]))
            {
                isFloat = true;
                j = k;
                while (j < _text.Length && char.IsAsciiDigit(_text[j])) j++;
            }
        }
        var text = _text[i..j];
        var clean = text.Replace("_", "");
        if (isFloat)
            _tokens.Add(new Token(TokenKind.Float, text, i, double.Parse(clean, CultureInfo.InvariantCulture)));
        else if (long.TryParse(clean, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            _tokens.Add(new Token(TokenKind.Integer, text, i, n));
        else throw Error($"integer literal {text} is too large", i);
        return j;
    }

    private int LexString(int i)
    {
        var quote = _text[i];
        var sb = new StringBuilder();
        var j = i + 1;
        while (true)
        {
            if (j >= _text.Length) throw Error("unexpected end of string", i);
            var c = _text[j];
            if (c == quote) break;
            if (c != '\\')
            {
                sb.Append(c);
                j++;
                continue;
            }
            if (j + 1 >= _text.Length) throw Error("unexpected end of string", i);
            var e = _text[j + 1];
            j += 2;
            switch (e)
            {
                case '\n': break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x': sb.Append(Hex(ref j, 2, i)); break;
                case 'u': sb.Append(Hex(ref j, 4, i)); break;
                case 'U': sb.Append(Hex(ref j, 8, i)); break;
                case >= '0' and <= '7':
                    var value = e - '0';
                    for (var n = 0; n < 2 && j < _text.Length && _text[j] is >= '0' and <= '7'; n++, j++) value = value * 8 + (_text[j] - '0');
                    sb.Append((char)value);
                    break;
                default: sb.Append('\\').Append(e); break;
            }
        }
        _tokens.Add(new Token(TokenKind.String, _text[i..(j + 1)], i, sb.ToString()));
        return j + 1;
    }

    private string Hex(ref int j, int digits, int start)
    {
        if (j + digits > _text.Length || !int.TryParse(_text.AsSpan(j, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp))
            throw Error("invalid escape in string literal", start);
        j += digits;
        return char.ConvertFromUtf32(cp);
    }
}

namespace Baimo.Generation.Constraints;

/// <summary>
/// The byte-level JSON recognizer: a pushdown automaton over <see cref="SchemaNode"/>s, run as a set of
/// threads (<see cref="Cursor"/>s) so unions, optional properties and enum prefixes need no backtracking.
/// <see cref="Step"/> appends every thread that can follow one byte; an empty result means the byte is not
/// allowed. Every state it produces can still be completed, which is what makes per-token masking safe.
/// </summary>
internal static class JsonAutomaton
{
    /// <summary>
    /// Whitespace between tokens is limited to what pretty-printers write: nothing, one space, or one newline
    /// followed by at most this many spaces or tabs of indentation. Small models otherwise spend their whole
    /// token budget on blank lines.
    /// </summary>
    public const int MaxIndent = 20;

    // Whitespace states (in B of containers and the root): none yet, after a single space, after a newline
    // (WsNewline + k after k indentation characters).
    private const int WsNone = 0, WsSpace = 1, WsNewline = 2;

    // Caps on number length, so a model cannot emit digits forever inside a "valid" number.
    private const int MaxIntDigits = 20, MaxFracDigits = 20, MaxExpDigits = 3;

    // Root phases.
    public const int RootStart = 0, RootDone = 1;

    // Object phases. A = index of the next declared property that may come (or the property being read),
    // B = whitespace state, or bytes of the key matched so far, C = properties begun so far.
    private const int ObjOpen = 1, ObjAfterComma = 2, ObjKey = 3, ObjColon = 4, ObjValue = 5, ObjAfterValue = 6;

    // Array phases. A = items so far, B = whitespace state.
    private const int ArrOpen = 1, ArrAfterItem = 2, ArrAfterComma = 3;

    // String sub-states (in B; A counts code points). Values ≥ Utf8Base encode a pending UTF-8 sequence:
    // Utf8Base + remaining * 8 + the allowed range of the next continuation byte.
    private const int StrNormal = 0, StrEscape = 1, StrHex1 = 2, StrHex2 = 3, StrHex3 = 4, StrHex4 = 5, StrHex2AfterD = 6, Utf8Base = 16;
    private const int RangeAny = 0, RangeA0 = 1, Range9F = 2, Range90 = 3, Range8F = 4;

    // Number phases (A counts digits of the current part).
    private const int NumMinus = 1, NumZero = 2, NumInt = 3, NumDot = 4, NumFrac = 5, NumE = 6, NumESign = 7, NumExp = 8;

    public static Cursor Initial(RootNode root) => new(root, RootStart, 0, 0, null);

    // '\r' is JSON whitespace too, but never needed: runs are limited to the forms Whitespace accepts.
    private static bool IsWs(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\t';
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    private static bool IsHex(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 5;

    /// <summary>True when this thread has finished the whole value and nothing may follow.</summary>
    public static bool IsDone(in Cursor c) => c.Node.Kind == NodeKind.Root && c.Phase == RootDone;

    /// <summary>True when the text so far is a complete value (a number may still grow, but could end here).</summary>
    public static bool CanEnd(in Cursor c)
    {
        if (IsDone(c)) return true;
        return c.Node.Kind == NodeKind.Number && c.Phase is NumZero or NumInt or NumFrac or NumExp && c.Up != null && CanEnd(Cursor.Pop(c.Up));
    }

    /// <summary>Appends to <paramref name="output"/> every thread that follows <paramref name="c"/> on byte <paramref name="b"/>.</summary>
    public static void Step(in Cursor c, byte b, CursorList output)
    {
        switch (c.Node.Kind)
        {
            case NodeKind.Root: StepRoot(c, b, output); break;
            case NodeKind.Object: StepObject(c, b, output); break;
            case NodeKind.Array: StepArray(c, b, output); break;
            case NodeKind.String: StepString(c, b, output); break;
            case NodeKind.Number: StepNumber(c, b, output); break;
            case NodeKind.Literal: StepLiteral(c, b, output); break;
            default: throw new InvalidOperationException($"a {c.Node.Kind} node is never the current position");
        }
    }

    /// <summary>Begins <paramref name="node"/> with byte <paramref name="b"/>; <paramref name="up"/> is resumed when it completes.</summary>
    private static void Start(SchemaNode node, byte b, Frame up, CursorList output)
    {
        switch (node.Kind)
        {
            case NodeKind.Object:
                if (b == '{') output.Add(new Cursor(node, ObjOpen, 0, 0, up));
                break;
            case NodeKind.Array:
                if (b == '[') output.Add(new Cursor(node, ArrOpen, 0, 0, up));
                break;
            case NodeKind.String:
                if (b == '"') output.Add(new Cursor(node, 0, 0, StrNormal, up));
                break;
            case NodeKind.Number:
                if (b == '-') { if (!((NumberNode)node).NonNegative) output.Add(new Cursor(node, NumMinus, 0, 0, up)); }
                else if (b == '0') output.Add(new Cursor(node, NumZero, 1, 0, up));
                else if (IsDigit(b)) output.Add(new Cursor(node, NumInt, 1, 0, up));
                break;
            case NodeKind.Literal:
                var text = ((LiteralNode)node).Text;
                if (b != text[0]) break;
                output.Add(text.Length == 1 ? Cursor.Pop(up) : new Cursor(node, 0, 1, 0, up));
                break;
            case NodeKind.Union:
                foreach (var alt in ((UnionNode)node).Alternatives) Start(alt, b, up, output);
                break;
            case NodeKind.Ref:
                Start(((RefNode)node).Target!, b, up, output);
                break;
            default:
                throw new InvalidOperationException($"a {node.Kind} node cannot start a value");
        }
    }

    private static void StepRoot(in Cursor c, byte b, CursorList output)
    {
        if (c.Phase != RootStart) return; // nothing may follow the value, not even whitespace
        var root = (RootNode)c.Node;
        if (IsWs(b)) Whitespace(c, b, output);
        else Start(root.Value, b, root.DoneFrame, output);
    }

    private static void StepObject(in Cursor c, byte b, CursorList output)
    {
        var o = (ObjectNode)c.Node;
        int n = o.Properties.Length;
        switch (c.Phase)
        {
            case ObjOpen:
            case ObjAfterComma:
                if (IsWs(b)) { Whitespace(c, b, output); return; }
                if (b == '}' && c.Phase == ObjOpen && CanClose(o, c)) output.Add(Cursor.Pop(c.Up!));
                else if (b == '"' && c.C < o.MaxProperties) StartKeys(o, c, output);
                return;
            case ObjKey:
                var tail = o.Properties[c.A].KeyTail;
                if (b != tail[c.B]) return;
                output.Add(c.B + 1 == tail.Length ? new Cursor(o, ObjColon, c.A, 0, c.Up, c.C) : new Cursor(o, ObjKey, c.A, c.B + 1, c.Up, c.C));
                return;
            case ObjColon:
                if (IsWs(b)) Whitespace(c, b, output);
                else if (b == ':') output.Add(new Cursor(o, ObjValue, c.A, 0, c.Up, c.C));
                return;
            case ObjValue:
                if (IsWs(b)) { Whitespace(c, b, output); return; }
                // A is the property whose value this is; n stands for an additional property.
                var value = c.A < n ? o.Properties[c.A].Value : o.Additional!;
                Start(value, b, new Frame(o, ObjAfterValue, Math.Min(c.A + 1, n), 0, c.C, c.Up), output);
                return;
            case ObjAfterValue:
                if (IsWs(b)) Whitespace(c, b, output);
                else if (b == ',' && c.C < o.MaxProperties && (c.A < n || o.Additional != null)) output.Add(new Cursor(o, ObjAfterComma, c.A, 0, c.Up, c.C));
                else if (b == '}' && CanClose(o, c)) output.Add(Cursor.Pop(c.Up!));
                return;
        }
    }

    private static bool CanClose(ObjectNode o, in Cursor c) => o.FirstRequiredFrom[c.A] == o.Properties.Length && c.C >= o.MinProperties;

    /// <summary>
    /// After the opening quote of a key: one thread per declared property that may come next (up to and
    /// including the first required one), plus one for a free key once no required property is left.
    /// Skipping optional properties is allowed only while the remaining ones can still reach minProperties, and
    /// an optional one only while the required ones after it still fit under maxProperties, so no choice
    /// leads to an object that cannot be closed.
    /// </summary>
    private static void StartKeys(ObjectNode o, in Cursor c, CursorList output)
    {
        int n = o.Properties.Length;
        int begun = c.C + 1;
        int lastCandidate = Math.Min(o.FirstRequiredFrom[c.A], n - 1);
        for (int i = c.A; i <= lastCandidate; i++)
        {
            bool reachesMin = o.Additional != null || begun + (n - i - 1) >= o.MinProperties;
            bool leavesRoom = begun + o.RequiredFrom[i + 1] <= o.MaxProperties;
            if (reachesMin && leavesRoom) output.Add(new Cursor(o, ObjKey, i, 0, c.Up, begun));
        }
        if (o.FirstRequiredFrom[c.A] == n && o.Additional != null)
            output.Add(new Cursor(o.AdditionalKey, 0, 0, StrNormal, new Frame(o, ObjColon, n, 0, begun, c.Up), KeyExclusion.Root));
    }

    /// <summary>Continues the whitespace run held in B with byte <paramref name="b"/>, if the run may grow.</summary>
    private static void Whitespace(in Cursor c, byte b, CursorList output)
    {
        int next = c.B switch
        {
            WsNone => b == ' ' ? WsSpace : b == '\n' ? WsNewline : -1,
            WsSpace => -1,
            _ => b is (byte)' ' or (byte)'\t' && c.B - WsNewline < MaxIndent ? c.B + 1 : -1,
        };
        if (next >= 0) output.Add(new Cursor(c.Node, c.Phase, c.A, next, c.Up, c.C));
    }

    private static void StepArray(in Cursor c, byte b, CursorList output)
    {
        var a = (ArrayNode)c.Node;
        if (IsWs(b)) { Whitespace(c, b, output); return; }
        switch (c.Phase)
        {
            case ArrOpen:
                if (b == ']') { if (a.MinItems == 0) output.Add(Cursor.Pop(c.Up!)); return; }
                if (a.MaxItems > 0 && a.ItemAt(0) is { } first) Start(first, b, new Frame(a, ArrAfterItem, 1, 0, 0, c.Up), output);
                return;
            case ArrAfterItem:
                if (b == ',' && c.A < a.MaxItems && a.ItemAt(c.A) != null) output.Add(new Cursor(a, ArrAfterComma, c.A, 0, c.Up));
                else if (b == ']' && c.A >= a.MinItems) output.Add(Cursor.Pop(c.Up!));
                return;
            case ArrAfterComma:
                Start(a.ItemAt(c.A)!, b, new Frame(a, ArrAfterItem, c.A + 1, 0, 0, c.Up), output);
                return;
        }
    }

    private static void StepString(in Cursor c, byte b, CursorList output)
    {
        var s = (StringNode)c.Node;
        int count = c.A;
        // C: the state in the excluded-names trie for keys that must not repeat a declared name (else unused).
        int key = s.Excluded is { } ex && c.B != StrEscape ? ex.Next(c.C, b) : c.C;
        switch (c.B)
        {
            case StrNormal:
                if (b == '"')
                {
                    if (count >= s.MinLength && !(s.Excluded?.IsName(c.C) ?? false)) output.Add(Cursor.Pop(c.Up!));
                    return;
                }
                if (count >= s.MaxLength || b < 0x20) return;
                if (b == '\\') { if (s.Excluded == null) output.Add(new Cursor(s, 0, count, StrEscape, c.Up)); return; }
                if (b < 0x80) { output.Add(new Cursor(s, 0, count + 1, StrNormal, c.Up, key)); return; }
                // A UTF-8 lead byte: the character counts now; its continuation bytes are checked below so that
                // overlong forms, surrogates and code points above U+10FFFF are never produced.
                int state = b switch
                {
                    >= 0xC2 and <= 0xDF => Utf8Base + 1 * 8 + RangeAny,
                    0xE0 => Utf8Base + 2 * 8 + RangeA0,
                    0xED => Utf8Base + 2 * 8 + Range9F,
                    >= 0xE1 and <= 0xEF => Utf8Base + 2 * 8 + RangeAny,
                    0xF0 => Utf8Base + 3 * 8 + Range90,
                    >= 0xF1 and <= 0xF3 => Utf8Base + 3 * 8 + RangeAny,
                    0xF4 => Utf8Base + 3 * 8 + Range8F,
                    _ => -1,
                };
                if (state >= 0) output.Add(new Cursor(s, 0, count + 1, state, c.Up, key));
                return;
            case StrEscape:
                if (b is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
                    output.Add(new Cursor(s, 0, count + 1, StrNormal, c.Up));
                else if (b == 'u') output.Add(new Cursor(s, 0, count, StrHex1, c.Up));
                return;
            case StrHex1:
                // \uD800-\uDFFF would need a paired escape to be valid text; such characters can still be written raw.
                if ((b | 0x20) == 'd') output.Add(new Cursor(s, 0, count, StrHex2AfterD, c.Up));
                else if (IsHex(b)) output.Add(new Cursor(s, 0, count, StrHex2, c.Up));
                return;
            case StrHex2AfterD:
                if (b is >= (byte)'0' and <= (byte)'7') output.Add(new Cursor(s, 0, count, StrHex3, c.Up));
                return;
            case StrHex2:
            case StrHex3:
                if (IsHex(b)) output.Add(new Cursor(s, 0, count, c.B + 1, c.Up));
                return;
            case StrHex4:
                if (IsHex(b)) output.Add(new Cursor(s, 0, count + 1, StrNormal, c.Up));
                return;
            default:
                int remaining = (c.B - Utf8Base) >> 3;
                bool ok = ((c.B - Utf8Base) & 7) switch
                {
                    RangeA0 => b is >= 0xA0 and <= 0xBF,
                    Range9F => b is >= 0x80 and <= 0x9F,
                    Range90 => b is >= 0x90 and <= 0xBF,
                    Range8F => b is >= 0x80 and <= 0x8F,
                    _ => b is >= 0x80 and <= 0xBF,
                };
                if (ok) output.Add(new Cursor(s, 0, count, remaining == 1 ? StrNormal : Utf8Base + (remaining - 1) * 8 + RangeAny, c.Up, key));
                return;
        }
    }

    private static void StepNumber(in Cursor c, byte b, CursorList output)
    {
        var num = (NumberNode)c.Node;
        bool digit = IsDigit(b);
        switch (c.Phase)
        {
            case NumMinus:
                if (b == '0') output.Add(new Cursor(num, NumZero, 1, 0, c.Up));
                else if (digit) output.Add(new Cursor(num, NumInt, 1, 0, c.Up));
                return;
            case NumZero:
            case NumInt:
                if (digit) { if (c.Phase == NumInt && c.A < MaxIntDigits) output.Add(new Cursor(num, NumInt, c.A + 1, 0, c.Up)); return; }
                if (!num.Integer && b == '.') { output.Add(new Cursor(num, NumDot, 0, 0, c.Up)); return; }
                if (!num.Integer && (b | 0x20) == 'e') { output.Add(new Cursor(num, NumE, 0, 0, c.Up)); return; }
                break;
            case NumDot:
                if (digit) output.Add(new Cursor(num, NumFrac, 1, 0, c.Up));
                return;
            case NumFrac:
                if (digit) { if (c.A < MaxFracDigits) output.Add(new Cursor(num, NumFrac, c.A + 1, 0, c.Up)); return; }
                if ((b | 0x20) == 'e') { output.Add(new Cursor(num, NumE, 0, 0, c.Up)); return; }
                break;
            case NumE:
                if (b is (byte)'+' or (byte)'-') output.Add(new Cursor(num, NumESign, 0, 0, c.Up));
                else if (digit) output.Add(new Cursor(num, NumExp, 1, 0, c.Up));
                return;
            case NumESign:
                if (digit) output.Add(new Cursor(num, NumExp, 1, 0, c.Up));
                return;
            case NumExp:
                if (digit) { if (c.A < MaxExpDigits) output.Add(new Cursor(num, NumExp, c.A + 1, 0, c.Up)); return; }
                break;
        }
        // A number ends where something that cannot extend it begins: the enclosing node reads that byte.
        Step(Cursor.Pop(c.Up!), b, output);
    }

    private static void StepLiteral(in Cursor c, byte b, CursorList output)
    {
        var text = ((LiteralNode)c.Node).Text;
        if (b != text[c.A]) return;
        output.Add(c.A + 1 == text.Length ? Cursor.Pop(c.Up!) : new Cursor(c.Node, 0, c.A + 1, 0, c.Up));
    }
}

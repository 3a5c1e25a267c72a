using System.CommandLine;
using System.Text;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo tokenize -m MODEL (--text T | --file F) [--no-bos] [--parse-special] [--ids]</c>.</summary>
public static class TokenizeCommand
{
    public static Command Build()
    {
        var model = ModelOption();
        var text = new Option<string>("--text", "-t") { Description = "Text to tokenize" };
        var file = new Option<FileInfo>("--file", "-f") { Description = "Read the text to tokenize from this file (UTF-8)" };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not add the model's BOS/EOS (or [CLS]/[SEP]) tokens" };
        var parseSpecial = new Option<bool>("--parse-special") { Description = "Recognise special-token text such as <|im_start|> as single tokens" };
        var ids = new Option<bool>("--ids") { Description = "Print only the token ids, space-separated, on one line" };
        var cmd = new Command("tokenize", "Split text into the model's tokens") { model, text, file, noBos, parseSpecial, ids };
        cmd.SetAction(pr =>
        {
            var t = pr.GetValue(text);
            var f = pr.GetValue(file);
            if ((t is null) == (f is null)) throw new UsageException("give exactly one of --text or --file");
            if (f is not null && !f.Exists) throw new FileNotFoundException($"text file not found: {f.FullName}");
            var input = t ?? File.ReadAllText(f!.FullName, Encoding.UTF8);
            var tokenizer = TokenizerLoader.Load(pr.GetValue(model)!);
            var tokens = tokenizer.Encode(input, addSpecial: !pr.GetValue(noBos), parseSpecial: pr.GetValue(parseSpecial));
            var o = pr.InvocationConfiguration.Output;
            if (pr.GetValue(ids))
            {
                o.WriteLine(string.Join(' ', tokens));
                return Cli.Ok;
            }
            int width = Math.Max(2, tokens.Length == 0 ? 2 : tokens.Max().ToString().Length);
            foreach (var id in tokens) o.WriteLine($"{id.ToString().PadLeft(width)}  {PieceText(tokenizer.TokenToPiece(id))}");
            o.WriteLine($"({tokens.Length} tokens)");
            return Cli.Ok;
        });
        return cmd;
    }

    internal static Option<string> ModelOption() =>
        new("--model", "-m") { Description = "GGUF model file, or a tokenizer.json (or the folder holding it)", Required = true };

    /// <summary>A piece as readable text: quoted, control characters escaped, bytes that are not whole UTF-8 shown as \xNN.</summary>
    internal static string PieceText(ReadOnlySpan<byte> piece)
    {
        var sb = new StringBuilder("'");
        int i = 0;
        while (i < piece.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(piece[i..], out var rune, out int used);
            if (status != System.Buffers.OperationStatus.Done)
            {
                sb.Append($"\\x{piece[i]:X2}");
                i++;
                continue;
            }
            if (rune.Value == '\n') sb.Append("\\n");
            else if (rune.Value == '\t') sb.Append("\\t");
            else if (rune.Value == '\r') sb.Append("\\r");
            else if (rune.Value == '\'') sb.Append("\\'");
            else if (System.Text.Rune.IsControl(rune)) sb.Append($"\\u{rune.Value:x4}");
            else sb.Append(rune.ToString());
            i += used;
        }
        return sb.Append('\'').ToString();
    }
}

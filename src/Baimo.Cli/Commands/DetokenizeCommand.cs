using System.CommandLine;
using System.Globalization;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo detokenize -m MODEL --ids "1 2 3"</c>: turns token ids back into text.</summary>
public static class DetokenizeCommand
{
    public static Command Build()
    {
        var model = TokenizeCommand.ModelOption();
        var ids = new Option<string>("--ids") { Description = "Token ids separated by spaces or commas", Required = true };
        var raw = new Option<bool>("--raw") { Description = "Write the exact bytes (which may be incomplete UTF-8) instead of text" };
        var special = new Option<bool>("--render-special") { Description = "Write special tokens (e.g. <|im_end|>) as their text instead of leaving them out" };
        var cmd = new Command("detokenize", "Turn token ids back into text") { model, ids, raw, special };
        cmd.SetAction(pr =>
        {
            var list = ParseIds(pr.GetValue(ids)!);
            var tokenizer = TokenizerLoader.Load(pr.GetValue(model)!);
            foreach (var id in list)
                if (id < 0 || id >= tokenizer.VocabSize)
                    throw new UsageException($"token id {id} is outside the vocabulary (0..{tokenizer.VocabSize - 1})");
            var bytes = tokenizer.DecodeToBytes(list, unparseSpecial: pr.GetValue(special));
            if (pr.GetValue(raw))
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(bytes);
            }
            else pr.InvocationConfiguration.Output.WriteLine(System.Text.Encoding.UTF8.GetString(bytes));
            return Cli.Ok;
        });
        return cmd;
    }

    public static int[] ParseIds(string text)
    {
        var parts = text.Split([' ', ',', '\t', '\n', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]))
                throw new UsageException($"'{parts[i]}' is not a token id (ids are integers separated by spaces)");
        return result;
    }
}

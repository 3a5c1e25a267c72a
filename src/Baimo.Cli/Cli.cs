using System.CommandLine;
using System.CommandLine.Help;
using Baimo.Cli.Commands;

namespace Baimo.Cli;

/// <summary>The <c>baimo</c> command: builds the command tree and maps outcomes to exit codes.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int RuntimeError = 1;
    public const int UsageError = 2;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Baimo — run open-weight language models on your own machines.");
        root.Subcommands.Add(InspectCommand.Build());
        root.Subcommands.Add(TokenizeCommand.Build());
        root.Subcommands.Add(DetokenizeCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(ChatCommand.Build());
        root.Subcommands.Add(LogitsCommand.Build());
        root.Subcommands.Add(PerplexityCommand.Build());
        root.Subcommands.Add(EmbedCommand.Build());
        root.Subcommands.Add(QuantizeCommand.Build());
        root.Subcommands.Add(ConvertCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(PullCommand.Build());
        root.Subcommands.Add(ListCommand.Build());
        root.Subcommands.Add(ShowCommand.Build());
        root.Subcommands.Add(RmCommand.Build());
        root.Subcommands.Add(PsCommand.Build());
        root.Subcommands.Add(Commands.Kb.KbCommand.Build());
        return root;
    }

    /// <summary>Runs the CLI with the console's streams; returns the process exit code.</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (args.Length == 0)
        {
            // A bare `baimo` shows what it can do rather than an error.
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
            return Ok;
        }
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var messages = string.Join("; ", parse.Errors.Select(e => OneLine(e.Message).TrimEnd('.')).Distinct());
            var command = parse.CommandResult.Command == root ? "baimo" : "baimo " + parse.CommandResult.Command.Name;
            stderr.WriteLine($"baimo: {messages} (see '{command} --help')");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"baimo: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"baimo: error: {OneLine(e)}");
            return RuntimeError;
        }
    }

    private static string OneLine(Exception e) =>
        OneLine(e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0].Message : e.Message);

    /// <summary>Errors are one line on stderr: line breaks and tabs inside a message become single spaces.</summary>
    private static string OneLine(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message.ReplaceLineEndings(" ").Replace('\t', ' '), " {2,}", " ");
}

/// <summary>A mistake in how the command was called (exit code 2), found after parsing.</summary>
public sealed class UsageException(string message) : Exception(message);

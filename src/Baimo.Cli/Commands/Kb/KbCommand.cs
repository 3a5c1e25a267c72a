using System.CommandLine;

namespace Baimo.Cli.Commands.Kb;

/// <summary><c>baimo kb …</c>: knowledge bases over the user's documents.</summary>
public static class KbCommand
{
    public static Command Build()
    {
        var kb = new Command("kb", "Knowledge bases: add company documents, search them, ask questions answered with citations");
        kb.Subcommands.Add(KbCreateCommand.Build());
        kb.Subcommands.Add(KbListCommand.Build());
        kb.Subcommands.Add(KbRemoveCommand.Build());
        kb.Subcommands.Add(KbAddCommand.Build());
        kb.Subcommands.Add(KbDocsCommand.Build());
        kb.Subcommands.Add(KbRemoveDocCommand.Build());
        kb.Subcommands.Add(KbSearchCommand.Build());
        kb.Subcommands.Add(KbAskCommand.Build());
        kb.Subcommands.Add(KbEvalCommand.Build());
        return kb;
    }
}

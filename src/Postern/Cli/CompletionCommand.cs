using System.CommandLine;
using Postern.Cli.Completion;
using Postern.Config;

namespace Postern.Cli;

/// <summary><c>postern completion bash|zsh|fish</c>: prints a completion script driven by the <c>[suggest]</c> directive.</summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "The shell: bash, zsh or fish" };
        shell.AcceptOnlyFromAmong([.. CompletionScripts.Shells]);
        var command = new Command("completion", "Print a shell completion script that asks postern itself (its [suggest] directive) for subcommands, options and values") { shell };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(CompletionScripts.For(parse.GetValue(shell)!));
            return ExitCodes.Ok;
        });
        return command;
    }
}

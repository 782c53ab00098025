using System.CommandLine;

namespace Postern.Tests.Cli.Help;

/// <summary>Every command, option and argument in the real tree says what it is for in --help.</summary>
public sealed class CommandTreeTests
{
    [Fact]
    public void Every_command_option_and_argument_has_a_description()
    {
        var missing = new List<string>();
        Walk(Program.CreateRootCommand(), "postern", missing);

        Assert.Empty(missing);
    }

    [Fact]
    public void The_walk_sees_the_whole_tree()
    {
        var seen = new List<string>();
        Walk(Program.CreateRootCommand(), "postern", seen, all: true);

        Assert.Contains("postern queue flush --wait", seen);
        Assert.Contains("postern cert ca init", seen);
        Assert.Contains("postern completion <SHELL>", seen);
    }

    private static void Walk(Command command, string path, List<string> found, bool all = false)
    {
        Note(command.Description, path, found, all);
        foreach (var argument in command.Arguments)
        {
            Note(argument.Description, $"{path} <{argument.Name}>", found, all);
        }
        foreach (var option in command.Options)
        {
            Note(option.Description, $"{path} {option.Name}", found, all);
        }
        foreach (var subcommand in command.Subcommands)
        {
            Walk(subcommand, $"{path} {subcommand.Name}", found, all);
        }
    }

    private static void Note(string? description, string path, List<string> found, bool all)
    {
        if (all || string.IsNullOrWhiteSpace(description))
        {
            found.Add(path);
        }
    }
}

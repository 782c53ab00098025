using System.CommandLine;
using Postern.Cli.Help;

namespace Postern.Tests.Cli.Help;

public sealed class ManHelpTests
{
    private static (int Exit, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Queue_help_ends_with_examples_and_exit_status()
    {
        var (exit, output) = Run("queue", "--help");

        Assert.Equal(0, exit);
        var usage = output.IndexOf("Usage:", StringComparison.Ordinal);
        var examples = output.IndexOf("\nEXAMPLES\n", StringComparison.Ordinal);
        var exitStatus = output.IndexOf("\nEXIT STATUS\n", StringComparison.Ordinal);
        Assert.True(usage >= 0 && usage < examples && examples < exitStatus, output);
        Assert.Contains("  postern queue list\n", output, StringComparison.Ordinal);
        Assert.Contains("  75  flush: no running daemon", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subcommand_shows_its_own_examples_and_the_family_exit_status()
    {
        // queue show needs an ID: help must still work without it.
        var (exit, output) = Run("queue", "show", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("  postern queue show 0QbHc1Xk8f2aLmZq\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("postern queue list\n", output, StringComparison.Ordinal);
        Assert.Contains("  67  no message with that queue id", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_help_has_the_sections_too()
    {
        var (_, output) = Run("--help");

        Assert.Contains("\nEXAMPLES\n", output, StringComparison.Ordinal);
        Assert.Contains("\nEXIT STATUS\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_top_level_command_has_a_man_page()
    {
        var missing = Program.CreateRootCommand().Subcommands.Select(c => c.Name).Where(name => ManPages.For(name) is null).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_example_names_an_existing_command()
    {
        var root = Program.CreateRootCommand();
        var wrong = new List<string>();
        foreach (var name in root.Subcommands.Select(c => c.Name))
        {
            foreach (var example in ManPages.For(name)!.Examples)
            {
                var words = example.CommandLine.Split(' ');
                Assert.Equal("postern", words[0]);
                Command command = root;
                foreach (var word in words.Skip(1))
                {
                    if (command.Subcommands.FirstOrDefault(c => c.Name == word) is not { } next)
                    {
                        break;
                    }
                    command = next;
                }
                if (command == root || command.Subcommands.Count > 0)
                {
                    wrong.Add(example.CommandLine);
                }
            }
        }

        Assert.Empty(wrong);
    }
}

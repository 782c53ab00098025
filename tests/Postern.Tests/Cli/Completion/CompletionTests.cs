using System.CommandLine;
using System.Diagnostics;
using Postern.Cli.Completion;

namespace Postern.Tests.Cli.Completion;

public sealed class CompletionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postern-completion-" + Guid.NewGuid().ToString("N"));

    public CompletionTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString().ReplaceLineEndings("\n"));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void The_suggest_directive_completes_qu_to_queue()
    {
        var (exit, output) = Run("[suggest:2]", "qu");

        Assert.Equal(0, exit);
        Assert.Equal(["queue"], Lines(output));
    }

    [Fact]
    public void The_suggest_directive_lists_subcommands_and_shells()
    {
        Assert.Contains("flush", Lines(Run("[suggest:6]", "queue ").Output));
        Assert.Equal(["bash", "fish", "zsh"], Lines(Run("[suggest:11]", "completion ").Output).Where(l => !l.StartsWith('-') && !l.StartsWith('/')));
    }

    [Theory]
    [InlineData("bash", "complete -o default -o nosort -F _postern_complete postern")]
    [InlineData("zsh", "#compdef postern")]
    [InlineData("fish", "complete -c postern -f -a '(__postern_complete)'")]
    public void Completion_prints_the_script_for_the_shell(string shell, string expected)
    {
        var (exit, output) = Run("completion", shell);

        Assert.Equal(0, exit);
        Assert.Equal(CompletionScripts.For(shell), output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_shell_is_a_usage_error()
    {
        var (exit, _) = Run("completion", "tcsh");

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public void The_bash_script_is_valid_bash()
    {
        var script = Path.Combine(_directory, "postern.bash");
        File.WriteAllText(script, CompletionScripts.For("bash"));

        var (exit, _, error) = Bash("-n", script);

        Assert.True(exit == 0, error);
    }

    [Fact]
    public void The_bash_function_asks_the_directive_with_the_arguments_up_to_the_cursor()
    {
        // A stand-in postern records the arguments bash passes; the real parser then answers them.
        var script = Path.Combine(_directory, "postern.bash");
        var driver = Path.Combine(_directory, "driver.bash");
        var arguments = Path.Combine(_directory, "arguments");
        File.WriteAllText(script, CompletionScripts.For("bash"));
        File.WriteAllText(driver, $$"""
            source '{{script}}'
            postern() { printf '%s\n' "$@" > '{{arguments}}'; printf 'queue\n'; }
            COMP_LINE='postern  qu --later'; COMP_POINT=11; COMP_WORDS=(postern qu --later); COMP_CWORD=1
            _postern_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """);

        var (exit, output, error) = Bash(driver);

        Assert.True(exit == 0, error);
        Assert.Equal("queue\n", output);
        var passed = File.ReadAllLines(arguments);
        Assert.Equal(["[suggest:2]", "qu"], passed);
        Assert.Equal(["queue"], Lines(Run(passed).Output));
    }

    private static (int Exit, string Output, string Error) Bash(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}

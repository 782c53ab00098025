using Postern.Tests.Config.Lint;

namespace Postern.Tests.Config.Check;

/// <summary>`postern config check` ends with one verdict line that counts the warnings printed before it.</summary>
public sealed class ConfigCheckSummaryTests
{
    [Fact]
    public void The_last_line_is_the_verdict_with_the_number_of_warnings()
    {
        using var run = new ConfigCheckRun();
        var (exit, output, errors) = run.Check("[policy]\nrelay_networks = [\"0.0.0.0/0\"]\n");

        Assert.Equal(0, exit);
        var warnings = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("warning:", StringComparison.Ordinal));
        Assert.True(warnings > 0, errors);
        var last = output.TrimEnd('\n').Split('\n')[^1];
        Assert.Equal($"{run.Combine("postern.toml")}: OK, {warnings} warning{(warnings == 1 ? "" : "s")}", last);
    }

    [Fact]
    public void A_clean_file_says_OK_with_no_warnings_at_the_end()
    {
        using var run = new ConfigCheckRun();
        var (exit, output, _) = run.Check("");

        Assert.Equal(0, exit);
        Assert.EndsWith(": OK, 0 warnings\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_are_counted_without_talking_of_a_daemon_that_was_never_to_start()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check("[server]\nno_such_key = 1\n", addListener: false);

        Assert.Equal(78, exit);
        Assert.DoesNotContain("not started", errors, StringComparison.Ordinal);
        Assert.Contains("postern: configuration has", errors, StringComparison.Ordinal);
    }
}

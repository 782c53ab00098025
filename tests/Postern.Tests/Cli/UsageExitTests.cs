using Postern.Config;

namespace Postern.Tests.Cli;

public sealed class UsageExitTests
{
    [Theory]
    [InlineData("queue", "--no-such-option")]
    [InlineData("access", "check")]
    [InlineData("no-such-command")]
    public async Task A_command_line_that_does_not_parse_exits_with_EX_USAGE(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, await Program.Main(args));
    }

    [Fact]
    public async Task Help_is_not_a_usage_error()
    {
        Assert.Equal(ExitCodes.Ok, await Program.Main(["version", "--help"]));
    }
}

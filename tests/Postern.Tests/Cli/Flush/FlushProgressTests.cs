using Microsoft.Extensions.Time.Testing;
using Postern.Cli.Flush;

namespace Postern.Tests.Cli.Flush;

public sealed class FlushProgressTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _output = new();

    public void Dispose() => _output.Dispose();

    [Theory]
    [InlineData(120, 500, "flushing: 120 of 500 messages left")]
    [InlineData(0, 1, "flushing: 0 of 1 message left")]
    public void Format_counts_the_messages_left(int left, int total, string expected) =>
        Assert.Equal(expected, FlushProgress.Format(left, total));

    [Fact]
    public void On_a_terminal_one_line_is_rewritten_in_place()
    {
        var progress = new FlushProgress(_output, interactive: true, _time);

        progress.Report(3, 3);
        progress.Report(3, 3);
        progress.Report(1, 3);
        progress.Finish("flushed: 3 messages attempted");

        Assert.Equal(
            "\r\u001b[Kflushing: 3 of 3 messages left\r\u001b[Kflushing: 3 of 3 messages left\r\u001b[Kflushing: 1 of 3 messages left"
            + "\r\u001b[Kflushed: 3 messages attempted" + Environment.NewLine,
            _output.ToString());
    }

    [Fact]
    public void Elsewhere_plain_lines_when_the_count_changes_or_now_and_then()
    {
        var progress = new FlushProgress(_output, interactive: false, _time);

        progress.Report(3, 3);
        _time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(3, 3);
        progress.Report(2, 3);
        _time.Advance(FlushProgress.PlainRepeat);
        progress.Report(2, 3);
        progress.Finish("flushed: 3 messages attempted");

        Assert.Equal(
            "flushing: 3 of 3 messages left\nflushing: 2 of 3 messages left\nflushing: 2 of 3 messages left\nflushed: 3 messages attempted\n",
            _output.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain('\u001b', _output.ToString());
    }
}

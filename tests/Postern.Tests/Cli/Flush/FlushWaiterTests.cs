using Microsoft.Extensions.Time.Testing;
using Postern.Cli.Flush;

namespace Postern.Tests.Cli.Flush;

public sealed class FlushWaiterTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _output = new();
    private readonly List<TimeSpan> _pauses = [];

    public void Dispose() => _output.Dispose();

    // The fake spool answers one count per poll (the last one repeats); the fake pause moves the clock.
    private FlushWaiter Waiter(params int[] counts)
    {
        var polls = 0;
        return new FlushWaiter(
            _ => Task.FromResult(counts[Math.Min(polls++, counts.Length - 1)]),
            new FlushProgress(_output, interactive: false, _time),
            _time,
            (interval, _) =>
            {
                _pauses.Add(interval);
                _time.Advance(interval);
                return Task.CompletedTask;
            });
    }

    [Fact]
    public async Task Waits_until_no_message_is_left_polling_every_500_ms()
    {
        var left = await Waiter(5, 5, 3, 0).WaitAsync(5, TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(0, left);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)], _pauses);
        Assert.Equal(
            "flushing: 5 of 5 messages left\nflushing: 3 of 5 messages left\nflushing: 0 of 5 messages left\n",
            _output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Stops_at_the_timeout_with_what_is_left()
    {
        var left = await Waiter(4, 2).WaitAsync(4, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(2, left);
        Assert.Equal(4, _pauses.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), _time.GetUtcNow() - new FakeTimeProvider().GetUtcNow());
    }

    [Fact]
    public async Task Cancellation_ends_the_wait()
    {
        using var cancel = new CancellationTokenSource();
        var waiter = new FlushWaiter(_ => Task.FromResult(1), new FlushProgress(_output, interactive: false, _time), _time, (_, token) =>
        {
            cancel.Cancel();
            return Task.Delay(Timeout.Infinite, token);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(1, TimeSpan.FromMinutes(5), cancel.Token));
    }
}

namespace Postern.Cli.Flush;

/// <summary>
/// Polls how many of the flushed messages are still waiting for their attempt, reporting each
/// count, until none is left or the timeout has passed. The poll and the pause are injected so
/// tests drive it with a fake spool and a fake clock.
/// </summary>
internal sealed class FlushWaiter(
    Func<CancellationToken, Task<int>> countLeft,
    FlushProgress progress,
    TimeProvider time,
    Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? ((interval, cancellationToken) => Task.Delay(interval, time, cancellationToken));

    /// <summary>Waits; returns the messages still left (0: every one was attempted).</summary>
    public async Task<int> WaitAsync(int total, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            var left = await countLeft(cancellationToken);
            progress.Report(left, total);
            if (left == 0 || time.GetElapsedTime(start) >= timeout)
            {
                return left;
            }
            await _delay(PollInterval, cancellationToken);
        }
    }
}

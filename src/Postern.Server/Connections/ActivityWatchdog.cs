namespace Postern.Server.Connections;

/// <summary>
/// Cancels its token when the peer has sent nothing for the armed interval. Each byte read
/// re-arms it, so one timer covers both idle command waits and stalled DATA transfers.
/// </summary>
internal sealed class ActivityWatchdog : IDisposable
{
    private readonly CancellationTokenSource _source;
    private TimeSpan _interval;

    public ActivityWatchdog(TimeSpan interval, TimeProvider clock)
    {
        _interval = interval;
        _source = new CancellationTokenSource(interval, clock);
    }

    public CancellationToken Token => _source.Token;

    public bool HasExpired => _source.IsCancellationRequested;

    /// <summary>Switches to a new interval (command vs data phase) and restarts the timer.</summary>
    public void Arm(TimeSpan interval)
    {
        _interval = interval;
        Touch();
    }

    /// <summary>The peer did something: restart the timer.</summary>
    public void Touch()
    {
        if (!_source.IsCancellationRequested)
        {
            _source.CancelAfter(_interval);
        }
    }

    public void Dispose() => _source.Dispose();
}

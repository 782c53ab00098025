namespace Postern.Milter.Client;

/// <summary>
/// One wait for a milter, on the injected clock: the caller's token, or the timeout, whichever
/// comes first. SMFIR_PROGRESS restarts the timeout, as in sendmail.
/// </summary>
internal sealed class MilterDeadline : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public MilterDeadline(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        _timeout = timeout;
        _timer = new CancellationTokenSource(timeout, clock);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>The timeout passed (not the caller's cancellation).</summary>
    public bool HasExpired => _timer.IsCancellationRequested;

    public string Describe() => "no reply within " + _timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s";

    public void Restart() => _timer.CancelAfter(_timeout);

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}

namespace Postern.Filters.Authentication.Dns;

/// <summary>
/// The time one check (SPF, DKIM or DMARC) may spend waiting for DNS, on the injected clock:
/// when it passes, the check's queries are cancelled and the check answers temperror, while the
/// session's own cancellation still propagates.
/// </summary>
public sealed class DnsDeadline : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _session;

    public DnsDeadline(TimeSpan limit, TimeProvider clock, CancellationToken session)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _timeout = new CancellationTokenSource(limit, clock);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(session, _timeout.Token);
        _session = session;
    }

    /// <summary>Cancelled when the deadline passes or the session ends.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>The deadline, not the session, cancelled the check.</summary>
    public bool Expired(OperationCanceledException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return _timeout.IsCancellationRequested && !_session.IsCancellationRequested;
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}

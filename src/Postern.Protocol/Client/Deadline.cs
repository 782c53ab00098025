namespace Postern.Protocol.Client;

/// <summary>A caller's token combined with a timeout on the injected clock.</summary>
public sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    private Deadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        _timer = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    public static Deadline Start(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) => new(timeout, time, cancellationToken);

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}

namespace Postern.Testing.Smtp;

/// <summary>
/// The sink's timing controls for the final reply to DATA, in one place: every reply waits
/// <see cref="Delay"/>; a wait that overlaps a <see cref="Freeze"/> never ends in a reply, even if
/// thawed since, so a client killed mid-DATA never saw its message accepted.
/// </summary>
internal sealed class SinkDataHold(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private bool _frozen;
    private int _freezes;
    private long _delayTicks;
    private int _waiting;

    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    /// <summary>Sessions inside <see cref="WaitAsync"/>.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Freeze()
    {
        lock (_gate)
        {
            _frozen = true;
            _freezes++;
        }
    }

    public void Thaw()
    {
        lock (_gate)
        {
            _frozen = false;
        }
    }

    /// <summary>
    /// Waits <see cref="Delay"/>; then, unless a freeze overlapped the wait, runs
    /// <paramref name="accept"/> (under the lock, so no freeze can slip between the check and it)
    /// and returns true. False: the reply must never be sent.
    /// </summary>
    public async Task<bool> WaitAsync(Action accept, CancellationToken cancellationToken)
    {
        int freezes;
        lock (_gate)
        {
            freezes = _freezes;
        }
        Interlocked.Increment(ref _waiting);
        try
        {
            await Task.Delay(Delay, clock, cancellationToken);
            lock (_gate)
            {
                if (_frozen || _freezes != freezes)
                {
                    return false;
                }
                accept();
                return true;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}

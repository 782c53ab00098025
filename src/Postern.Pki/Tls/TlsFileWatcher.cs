using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>Polls the TLS files every interval and calls back when their sizes or times change (certbot-style renewals).</summary>
internal sealed class TlsFileWatcher : IDisposable
{
    private readonly Func<TlsFileSnapshot> take;
    private readonly Action onChange;
    private readonly ITimer timer;
    private readonly Lock gate = new();
    private TlsFileSnapshot last;

    public TlsFileWatcher(TlsSettings settings, Action onChange, TimeSpan interval, TimeProvider clock)
        : this(() => TlsFileSnapshot.Take(settings), onChange, interval, clock)
    {
    }

    /// <param name="take">Takes a snapshot of the files to watch.</param>
    /// <param name="onChange">Called when a snapshot differs from the last one.</param>
    /// <param name="interval">Time between polls.</param>
    /// <param name="clock">The timer source.</param>
    public TlsFileWatcher(Func<TlsFileSnapshot> take, Action onChange, TimeSpan interval, TimeProvider clock)
    {
        this.take = take;
        this.onChange = onChange;
        last = take();
        timer = clock.CreateTimer(_ => Poll(), null, interval, interval);
    }

    public void Dispose() => timer.Dispose();

    private void Poll()
    {
        // Skip a tick rather than overlap a slow reload.
        if (!gate.TryEnter())
        {
            return;
        }
        try
        {
            var current = take();
            if (current.Equals(last))
            {
                return;
            }
            // Remember the change even if the reload fails: a broken file is reported once, not every tick.
            last = current;
            onChange();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file vanishing mid-scan: the next tick sees the settled state. A timer callback must not throw.
        }
        finally
        {
            gate.Exit();
        }
    }
}

using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>Polls the TLS files every interval and calls back when their sizes or times change (certbot-style renewals).</summary>
internal sealed class TlsFileWatcher : IDisposable
{
    private readonly TlsSettings settings;
    private readonly Action onChange;
    private readonly ITimer timer;
    private readonly Lock gate = new();
    private TlsFileSnapshot last;

    public TlsFileWatcher(TlsSettings settings, Action onChange, TimeSpan interval, TimeProvider clock)
    {
        this.settings = settings;
        this.onChange = onChange;
        last = TlsFileSnapshot.Take(settings);
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
            var current = TlsFileSnapshot.Take(settings);
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

using Postern.Config;
using Postern.Pki.Acme.Issuance;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>cert acme renew</c> with a daemon running: renew.request is written, the daemon signalled
/// (SIGUSR1), and state.json read every half second until it shows the request handled, or the
/// wait ends. The daemon orders with its own responder, which holds the challenge port.
/// </summary>
internal sealed class AcmeDaemonRequest(AcmeStore store, Func<bool> signal, TimeProvider clock)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<int> RunAsync(bool force, TimeSpan wait, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var requestedAt = clock.GetUtcNow();
        try
        {
            store.WriteRenewRequest(force);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"postern: cert acme renew: cannot write {store.Layout.RenewRequestFile}: {e.Message}");
            return e is UnauthorizedAccessException ? ExitCodes.NoPermission : ExitCodes.IoError;
        }
        if (!signal())
        {
            error.WriteLine($"postern: cert acme renew: the daemon cannot be signalled; it takes {store.Layout.RenewRequestFile} at its next start");
            return ExitCodes.TempFail;
        }
        var start = clock.GetTimestamp();
        while (clock.GetElapsedTime(start) < wait)
        {
            await Task.Delay(PollInterval, clock, cancellationToken);
            AcmeState state;
            try
            {
                state = store.LoadState();
            }
            catch (IOException)
            {
                continue; // Being replaced (rename): the next look sees it whole.
            }
            if (state.RequestHandledAt >= requestedAt)
            {
                return AcmeRenewOutcome.Print(AcmeRenewOutcome.Of(state, requestedAt), state, requestedAt, output, error);
            }
        }
        error.WriteLine($"postern: cert acme renew: the daemon did not finish within {DurationSyntax.Format(wait)}; `postern cert acme status` and the mail log show how it goes");
        return ExitCodes.TempFail;
    }
}

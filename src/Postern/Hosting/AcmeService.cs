using System.Globalization;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Pki.Acme.Issuance;

namespace Postern.Hosting;

/// <summary>
/// The daemon's ACME loop: at start it orders at once when a certificate is missing or due, then
/// sleeps on the <see cref="TimeProvider"/> until the next renewal or ARI poll, or until
/// <c>postern cert acme renew</c> leaves renew.request and sends SIGUSR1. After an issuance the
/// server and client TLS contexts reload at once, so the next handshake has the new certificate
/// and open sessions keep theirs. A failure keeps the current certificate and backs off.
/// </summary>
internal sealed partial class AcmeService : IAsyncDisposable
{
    /// <summary>The longest sleep: the state is looked at again at least daily (and timers cannot span 49 days).</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);

    /// <summary>When another process holds the lock, the loop looks again this soon.</summary>
    public static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(10);

    private readonly AcmeRenewer _renewer;
    private readonly AcmeStore _store;
    private readonly IAsyncDisposable _resources;
    private readonly Action _reloadTls;
    private readonly AcmeMetrics? _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="renewer">Orders and schedules.</param>
    /// <param name="store">The acme directory (for renew.request).</param>
    /// <param name="resources">What the service owns (the challenge responder, already listening, and the client): disposed with it.</param>
    /// <param name="reloadTls">Reloads the server and client TLS contexts (after an issuance).</param>
    /// <param name="metrics">The instruments, or null with metrics off.</param>
    /// <param name="clock">Every sleep runs on it.</param>
    /// <param name="log">Category postern.acme.</param>
    public AcmeService(AcmeRenewer renewer, AcmeStore store, IAsyncDisposable resources, Action reloadTls, AcmeMetrics? metrics, TimeProvider clock, ILogger log)
    {
        _renewer = renewer;
        _store = store;
        _resources = resources;
        _reloadTls = reloadTls;
        _metrics = metrics;
        _clock = clock;
        _log = log;
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>SIGUSR1: look for renew.request now (the queue commands send the same signal; without a request the loop just sleeps again).</summary>
    public void Wake()
    {
        lock (_wake)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                sleep = await PassAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // state.json unreadable, the directory gone: say so and look again later, serving what is live.
                LoopFailed(_log, e.Message);
                sleep = RenewalSchedule.FirstBackoff;
            }
            try
            {
                using var timeout = new CancellationTokenSource(sleep, _clock);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
                await _wake.WaitAsync(either.Token);
            }
            catch (OperationCanceledException)
            {
                // The sleep ended (or the daemon stops: the loop condition sees it).
            }
        }
    }

    /// <summary>One look: the renew request, ARI, an attempt when due; returns how long to sleep.</summary>
    private async Task<TimeSpan> PassAsync(CancellationToken stopping)
    {
        var request = _store.TakeRenewRequest();
        foreach (var problem in await _renewer.RefreshRenewalInfoAsync(stopping))
        {
            AriFailed(_log, problem);
        }
        var state = _renewer.CurrentState();
        _metrics?.Observe(state);
        var now = _clock.GetUtcNow();
        if (request is null && state.NextRenewal > now)
        {
            return Until(AcmeRenewer.NextWake(state), now);
        }
        var attempt = await _renewer.RenewAsync(force: request == true, requested: request is not null, stopping);
        if (attempt.Result == AcmeAttemptResult.Busy)
        {
            if (request is { } force)
            {
                _store.WriteRenewRequest(force); // Not acted on yet: keep it for the next look.
            }
            Busy(_log, attempt.Error ?? "");
            return BusyRetry;
        }
        Report(attempt);
        return Until(AcmeRenewer.NextWake(attempt.State), _clock.GetUtcNow());
    }

    private void Report(AcmeAttempt attempt)
    {
        _metrics?.Observe(attempt.State);
        var names = string.Join(", ", attempt.Domains);
        foreach (var certificate in attempt.Issued)
        {
            var recorded = attempt.State.Certificates.FirstOrDefault(c => c.Serial == certificate.Serial);
            var keyType = AcmeKeyTypeNames.Name(certificate.KeyType);
            var notAfter = Day(certificate.NotAfter);
            var next = recorded?.RenewAt is { } at ? Day(at) : "?";
            Issued(_log, names, keyType, certificate.Issuer, notAfter, next, recorded?.RenewReason ?? "?");
        }
        if (attempt.Issued.Count > 0)
        {
            _metrics?.Issued(attempt.Issued.Count);
            // At once, not at the file watcher's next poll: the next handshake gets the new certificate.
            _reloadTls();
        }
        switch (attempt.Result)
        {
            case AcmeAttemptResult.Failed:
                _metrics?.Failed();
                var failedAt = attempt.State.LastErrorAt ?? _clock.GetUtcNow();
                var retry = (attempt.State.NextRenewal ?? failedAt) - failedAt;
                var current = Current(attempt.State);
                var retryText = DurationSyntax.Format(retry < TimeSpan.Zero ? TimeSpan.Zero : retry);
                OrderFailed(_log, names, attempt.Error ?? "", current, retryText);
                break;
            case AcmeAttemptResult.NotDue:
                NotDue(_log, attempt.State.NextRenewal is { } next ? Day(next) : "?", attempt.State.NextRenewalReason ?? "?");
                break;
        }
    }

    /// <summary>What stays served: the live certificate's expiry, or the generated one when there is none yet.</summary>
    private static string Current(AcmeState state) =>
        state.Certificates.Count == 0
            ? "there is none yet: serving the self-signed certificate"
            : "keeping the current certificate (valid until " + Day(state.Certificates.Min(c => c.NotAfter)) + ")";

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TimeSpan Until(DateTimeOffset wake, DateTimeOffset now)
    {
        var sleep = wake == DateTimeOffset.MaxValue ? MaxSleep : wake - now;
        return sleep < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : sleep > MaxSleep ? MaxSleep : sleep;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        await _resources.DisposeAsync();
        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "acme: certificate for {Names} ({KeyType}) issued by {Issuer}, valid until {NotAfter}, next renewal {NextRenewal} ({Reason})")]
    private static partial void Issued(ILogger logger, string names, string keyType, string issuer, string notAfter, string nextRenewal, string reason);

    [LoggerMessage(EventId = 91, Level = LogLevel.Error, Message = "acme: order for {Names} failed: {Error}; {Current}, next try in {Retry}")]
    private static partial void OrderFailed(ILogger logger, string names, string error, string current, string retry);

    [LoggerMessage(EventId = 92, Level = LogLevel.Warning, Message = "acme: {Problem}; the current renewal time stands")]
    private static partial void AriFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 93, Level = LogLevel.Information, Message = "acme: renewal requested, but nothing is due before {NextRenewal} ({Reason}); `postern cert acme renew --force` renews anyway")]
    private static partial void NotDue(ILogger logger, string nextRenewal, string reason);

    [LoggerMessage(EventId = 94, Level = LogLevel.Information, Message = "acme: {Reason}; trying again in a few seconds")]
    private static partial void Busy(ILogger logger, string reason);

    [LoggerMessage(EventId = 95, Level = LogLevel.Error, Message = "acme: {Error}; serving the current certificates and trying again in a minute")]
    private static partial void LoopFailed(ILogger logger, string error);
}

using Postern.Hosting;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Protocol;
using Postern.Tests.Pki.Acme.Issuance;
using Postern.Tests.Pki.Tls;
using Postern.Tests.Server.Telemetry;

namespace Postern.Tests.Hosting;

/// <summary>The daemon's renewal loop over the in-memory ACME server, on a fake clock.</summary>
public sealed class AcmeServiceTests : IDisposable
{
    private readonly AcmeTestBed _bed = new();
    private readonly CollectingLogger _log = new();
    private readonly MeasurementRecorder _recorder = new();
    private int _reloads;

    public void Dispose()
    {
        _recorder.Dispose();
        _bed.Dispose();
    }

    [Fact]
    public async Task At_start_a_missing_certificate_is_ordered_the_tls_contexts_reload_and_one_line_says_so()
    {
        await using var service = Start();

        await Until(() => _reloads == 1);

        var line = Assert.Single(_log.Messages, m => m.Contains("issued", StringComparison.Ordinal));
        Assert.Matches(@"^acme: certificate for mail\.example\.org, smtp\.example\.org \(ecdsa\) issued by Fake ACME Intermediate, valid until 2027-04-10, next renewal 2027-03-1\d \(renew_before\)$", line);
        Assert.True(File.Exists(_bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa)));
    }

    [Fact]
    public async Task A_failure_keeps_serving_logs_the_backoff_and_the_retry_succeeds()
    {
        _bed.Server.NewOrderFailure = new AcmeException("connection refused");
        await using var service = Start();

        await Until(() => _log.Messages.Any(m => m.Contains("failed", StringComparison.Ordinal)));
        Assert.Contains("acme: order for mail.example.org, smtp.example.org failed: connection refused; there is none yet: serving the self-signed certificate, next try in 1m", _log.Messages);
        Assert.Equal(0, _reloads);

        _recorder.Observe();
        Assert.Equal(1, _recorder.Sum("postern.acme.orders", "result=failed"));
        Assert.Equal(1, _recorder.Last("postern.acme.renewal.failures"));
        Assert.Equal(0, _recorder.Count("postern.acme.certificate.expiry"));

        _bed.Server.NewOrderFailure = null;
        await Until(() => _reloads == 1);
        Assert.Equal(0, _bed.Store.LoadState().ConsecutiveFailures);
        _recorder.Observe();
        Assert.Equal(1, _recorder.Sum("postern.acme.orders", "result=issued"));
        Assert.Equal(0, _recorder.Last("postern.acme.renewal.failures"));
        Assert.InRange(_recorder.Last("postern.acme.certificate.expiry", "key_type=ecdsa"), 89 * 86400, 90 * 86400);
    }

    [Fact]
    public async Task A_forced_renew_request_with_a_wake_orders_again_and_records_when_it_was_handled()
    {
        await using var service = Start();
        await Until(() => _reloads == 1);
        var first = _bed.Store.LoadState().Certificates.Single().Serial;
        var requested = _bed.Clock.GetUtcNow();

        _bed.Store.WriteRenewRequest(force: true);
        service.Wake();
        await Until(() => _reloads == 2);

        var state = _bed.Store.LoadState();
        Assert.NotEqual(first, state.Certificates.Single().Serial);
        Assert.True(state.RequestHandledAt >= requested);
        Assert.False(File.Exists(_bed.Store.Layout.RenewRequestFile));
    }

    [Fact]
    public async Task A_renew_request_when_nothing_is_due_says_so_and_orders_nothing()
    {
        await using var service = Start();
        await Until(() => _reloads == 1);

        _bed.Store.WriteRenewRequest(force: false);
        service.Wake();
        await Until(() => _log.Messages.Any(m => m.Contains("nothing is due", StringComparison.Ordinal)));

        Assert.Equal(1, _reloads);
        Assert.Equal(1, _bed.Server.Finalized);
    }

    [Fact]
    public async Task The_certificate_is_renewed_when_its_time_comes()
    {
        await using var service = Start();
        await Until(() => _reloads == 1);
        var renewAt = _bed.Store.LoadState().NextRenewal!.Value;

        _bed.Clock.SetUtcNow(renewAt + TimeSpan.FromSeconds(1));
        await Until(() => _reloads == 2);

        Assert.Equal(2, _bed.Server.Finalized);
    }

    private AcmeService Start()
    {
        var service = new AcmeService(_bed.Renewer(), _bed.Store, _bed.Responder, () => Interlocked.Increment(ref _reloads), new AcmeMetrics(_recorder.Meter, _bed.Clock), _bed.Clock, _log);
        service.Start();
        return service;
    }

    /// <summary>Moves the fake clock a second per real millisecond until <paramref name="condition"/> holds (at most 5 s of real time).</summary>
    private async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 5000 && !condition(); i++)
        {
            await Task.Delay(1);
            _bed.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.True(condition(), "condition not reached; log: " + string.Join(" | ", _log.Messages));
    }
}

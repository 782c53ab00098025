using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme.Issuance;

public sealed class AcmeRenewerTests
{
    [Fact]
    public async Task The_first_attempt_registers_and_issues_each_key_type_then_nothing_is_due()
    {
        using var bed = new AcmeTestBed(AcmeKeyTypes.Ecdsa | AcmeKeyTypes.Rsa);
        var renewer = bed.Renewer();

        var attempt = await bed.RenewAsync(renewer);

        Assert.Equal(AcmeAttemptResult.Issued, attempt.Result);
        Assert.Equal([AcmeKeyTypes.Ecdsa, AcmeKeyTypes.Rsa], attempt.Issued.Select(c => c.KeyType));
        Assert.Equal(1, bed.Server.Registrations);
        Assert.Equal(bed.Server.AccountUrl!.ToString(), bed.Store.LoadAccount()!.Url);
        var state = bed.Store.LoadState();
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Equal("issued", state.LastResult);
        Assert.Equal(RenewalReasons.RenewBefore, state.NextRenewalReason);
        Assert.InRange(state.NextRenewal!.Value, bed.Clock.GetUtcNow() + TimeSpan.FromDays(59), bed.Clock.GetUtcNow() + TimeSpan.FromDays(60));
        Assert.Equal(2, state.Certificates.Count);

        var again = await bed.RenewAsync(bed.Renewer(seed: 7));
        Assert.Equal(AcmeAttemptResult.NotDue, again.Result);
        Assert.Equal(state.NextRenewal, again.State.NextRenewal);
        Assert.Equal(1, bed.Server.Finalized / 2);
    }

    [Fact]
    public async Task A_saved_account_is_used_without_asking_the_server()
    {
        using var bed = new AcmeTestBed();
        bed.Store.SaveAccount(new AcmeAccountRecord { Directory = bed.Options.DirectoryUrl.ToString(), Url = "https://acme.test/acct/saved" });

        var attempt = await bed.RenewAsync(bed.Renewer());

        Assert.Equal(AcmeAttemptResult.Issued, attempt.Result);
        Assert.Equal(0, bed.Server.Registrations);
        Assert.Equal(new Uri("https://acme.test/acct/saved"), bed.Server.AccountUrl);
    }

    [Fact]
    public async Task A_failure_keeps_the_certificate_records_the_error_and_backs_off_then_a_success_resets()
    {
        using var bed = new AcmeTestBed();
        await bed.RenewAsync(bed.Renewer());
        var live = await File.ReadAllTextAsync(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa));
        bed.Server.NewOrderFailure = new AcmeException("connection refused (acme.test:14000)");

        var first = await bed.RenewAsync(bed.Renewer(), force: true);
        var failedAt = first.State.LastErrorAt!.Value;

        Assert.Equal(AcmeAttemptResult.Failed, first.Result);
        Assert.Equal("connection refused (acme.test:14000)", first.Error);
        Assert.Equal(live, await File.ReadAllTextAsync(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa)));
        var saved = bed.Store.LoadState();
        Assert.Equal(1, saved.ConsecutiveFailures);
        Assert.Equal("failed", saved.LastResult);
        Assert.Equal("connection refused (acme.test:14000)", saved.LastError);
        Assert.Equal(failedAt + TimeSpan.FromMinutes(1), saved.RetryAt);

        bed.Server.NewOrderFailure = new AcmeException("rate limited", new AcmeProblem(AcmeProblem.ErrorPrefix + "rateLimited", "too many certificates", 429), TimeSpan.FromHours(3));
        var second = await bed.RenewAsync(bed.Renewer(), force: true);
        Assert.Equal(2, second.State.ConsecutiveFailures);
        Assert.Equal(second.State.LastErrorAt + TimeSpan.FromHours(3), second.State.RetryAt);

        bed.Server.NewOrderFailure = null;
        var third = await bed.RenewAsync(bed.Renewer(), force: true);
        Assert.Equal(AcmeAttemptResult.Issued, third.Result);
        Assert.Equal(0, third.State.ConsecutiveFailures);
        Assert.Null(third.State.RetryAt);
        Assert.Equal("rate limited", third.State.LastError);
    }

    [Fact]
    public async Task A_missing_certificate_that_keeps_failing_is_retried_on_the_backoff_not_at_once()
    {
        using var bed = new AcmeTestBed();
        bed.Server.NewOrderFailure = new AcmeException("down");
        var attempt = await bed.RenewAsync(bed.Renewer());

        Assert.Equal(AcmeAttemptResult.Failed, attempt.Result);
        Assert.Equal(RenewalReasons.Retry, attempt.State.NextRenewalReason);
        Assert.Equal(attempt.State.RetryAt, attempt.State.NextRenewal);
        var next = await bed.RenewAsync(bed.Renewer());
        Assert.Equal(AcmeAttemptResult.Failed, next.Result);
    }

    [Fact]
    public async Task Changed_domains_are_due_at_once_and_a_removed_live_file_is_ordered_again()
    {
        using var bed = new AcmeTestBed();
        await bed.RenewAsync(bed.Renewer());
        bed.Options = bed.Options with { Domains = ["mail.example.org", "smtp.example.org", "mx2.example.org"] };

        var attempt = await bed.RenewAsync(bed.Renewer());
        Assert.Equal(AcmeAttemptResult.Issued, attempt.Result);
        Assert.Contains("mx2.example.org", attempt.Issued[0].Domains);

        File.Delete(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa));
        Assert.Equal(RenewalReasons.Missing, bed.Renewer().CurrentState().NextRenewalReason);
        Assert.Equal(AcmeAttemptResult.Issued, (await bed.RenewAsync(bed.Renewer())).Result);
    }

    [Fact]
    public async Task Renewal_info_sets_the_window_and_the_renewal_replaces_the_certificate_by_its_cert_id()
    {
        using var bed = new AcmeTestBed();
        var renewer = bed.Renewer();
        var first = await bed.RenewAsync(renewer);
        var certId = first.Issued[0].CertId;
        var start = bed.Clock.GetUtcNow() + TimeSpan.FromDays(20);
        bed.Server.RenewalInfo = new AcmeRenewalInfo(start, start + TimeSpan.FromDays(1), new Uri("https://ca.test/incident"), TimeSpan.FromHours(8));

        var problems = await renewer.RefreshRenewalInfoAsync(CancellationToken.None);

        Assert.Empty(problems);
        var state = bed.Store.LoadState();
        var certificate = state.Certificates.Single();
        Assert.Equal(RenewalReasons.Ari, certificate.RenewReason);
        Assert.InRange(certificate.RenewAt!.Value, start, start + TimeSpan.FromDays(1));
        Assert.Equal(bed.Clock.GetUtcNow() + TimeSpan.FromHours(8), certificate.AriNextPoll);
        Assert.Equal("https://ca.test/incident", certificate.AriExplanation);
        Assert.Equal(RenewalReasons.Ari, state.NextRenewalReason);
        Assert.Equal(certificate.AriNextPoll, AcmeRenewer.NextWake(state));

        // Not yet time to poll again: the server is not asked.
        await renewer.RefreshRenewalInfoAsync(CancellationToken.None);
        Assert.Equal(1, bed.Server.RenewalInfoQueries);

        bed.Clock.Advance(TimeSpan.FromDays(21));
        var renewed = await bed.RenewAsync(renewer);
        Assert.Equal(AcmeAttemptResult.Issued, renewed.Result);
        Assert.Equal([null, certId], bed.Server.Replaces);
    }

    [Fact]
    public async Task A_failed_renewal_info_poll_is_reported_and_tried_again_in_six_hours()
    {
        using var bed = new AcmeTestBed();
        var renewer = bed.Renewer();
        await bed.RenewAsync(renewer);
        bed.Server.RenewalInfoFailure = new AcmeException("renewalInfo: 500 Internal Server Error");

        var problems = await renewer.RefreshRenewalInfoAsync(CancellationToken.None);

        Assert.Equal(["renewal info for the ecdsa certificate: renewalInfo: 500 Internal Server Error"], problems);
        Assert.Equal(bed.Clock.GetUtcNow() + TimeSpan.FromHours(6), bed.Store.LoadState().Certificates.Single().AriNextPoll);
        Assert.Equal(RenewalReasons.RenewBefore, bed.Store.LoadState().NextRenewalReason);
    }

    [Fact]
    public async Task Another_process_holding_the_lock_makes_the_attempt_busy_without_counting_a_failure()
    {
        using var bed = new AcmeTestBed();
        using (bed.Store.Lock())
        {
            var attempt = await bed.Renewer().RenewAsync(force: true, CancellationToken.None);
            Assert.Equal(AcmeAttemptResult.Busy, attempt.Result);
            Assert.Contains("another postern process", attempt.Error, StringComparison.Ordinal);
        }
        Assert.Equal(0, bed.Store.LoadState().ConsecutiveFailures);
        Assert.Equal(0, bed.Server.Finalized);
    }
}

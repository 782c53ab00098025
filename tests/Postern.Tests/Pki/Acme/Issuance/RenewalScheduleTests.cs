using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;

namespace Postern.Tests.Pki.Acme.Issuance;

public sealed class RenewalScheduleTests
{
    private static readonly DateTimeOffset Issued = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Domains = ["mail.example.org"];

    [Fact]
    public void Without_renew_before_a_certificate_renews_a_third_of_its_lifetime_before_expiry_less_a_jitter_of_up_to_one_percent()
    {
        var certificate = Certificate(TimeSpan.FromDays(90));
        var latest = certificate.NotAfter - TimeSpan.FromDays(30);
        var times = Enumerable.Range(0, 50).Select(seed => new RenewalSchedule(null, new Random(seed)).Choose(certificate)).ToList();

        Assert.All(times, c => Assert.Equal(RenewalReasons.RenewBefore, c.RenewReason));
        Assert.All(times, c => Assert.InRange(c.RenewAt!.Value, latest - TimeSpan.FromHours(12), latest));
        Assert.True(times.Select(c => c.RenewAt).Distinct().Count() > 40, "jittered");
    }

    [Fact]
    public void Renew_before_counts_back_from_not_after_and_never_passes_half_the_lifetime()
    {
        var certificate = Certificate(TimeSpan.FromDays(90));
        var tenDays = new RenewalSchedule(TimeSpan.FromDays(10), new Random(3)).Choose(certificate);
        Assert.InRange(tenDays.RenewAt!.Value, certificate.NotAfter - TimeSpan.FromDays(10) - TimeSpan.FromHours(12), certificate.NotAfter - TimeSpan.FromDays(10));

        // A short-lived certificate (pebble, a private CA) with renew_before longer than its life must not renew in a loop.
        var shortLived = Certificate(TimeSpan.FromHours(6));
        var chosen = new RenewalSchedule(TimeSpan.FromDays(30), new Random(3)).Choose(shortLived);
        Assert.InRange(chosen.RenewAt!.Value, Issued + TimeSpan.FromHours(3) - TimeSpan.FromMinutes(4), Issued + TimeSpan.FromHours(3));
    }

    [Fact]
    public void A_chosen_time_is_kept_while_it_fits_so_a_restart_does_not_move_it()
    {
        var certificate = new RenewalSchedule(null, new Random(1)).Choose(Certificate(TimeSpan.FromDays(90)));
        var again = new RenewalSchedule(null, new Random(99)).Choose(certificate);
        Assert.Equal(certificate.RenewAt, again.RenewAt);

        var changed = new RenewalSchedule(TimeSpan.FromDays(10), new Random(99)).Choose(certificate);
        Assert.NotEqual(certificate.RenewAt, changed.RenewAt);
    }

    [Fact]
    public void An_ari_window_wins_with_a_random_time_inside_it_kept_until_the_window_moves()
    {
        var start = Issued + TimeSpan.FromDays(40);
        var end = start + TimeSpan.FromDays(2);
        var certificate = Certificate(TimeSpan.FromDays(90)) with { AriWindowStart = start, AriWindowEnd = end };
        var times = Enumerable.Range(0, 30).Select(seed => new RenewalSchedule(TimeSpan.FromDays(10), new Random(seed)).Choose(certificate)).ToList();
        Assert.All(times, c => Assert.Equal(RenewalReasons.Ari, c.RenewReason));
        Assert.All(times, c => Assert.InRange(c.RenewAt!.Value, start, end));
        Assert.True(times.Select(c => c.RenewAt).Distinct().Count() > 20);

        var kept = new RenewalSchedule(null, new Random(1000)).Choose(times[0]);
        Assert.Equal(times[0].RenewAt, kept.RenewAt);

        // The CA moved the window earlier (a revocation coming): a new time inside the new window.
        var moved = times[0] with { AriWindowStart = Issued + TimeSpan.FromDays(1), AriWindowEnd = Issued + TimeSpan.FromDays(1) + TimeSpan.FromHours(1) };
        var rechosen = new RenewalSchedule(null, new Random(5)).Choose(moved);
        Assert.InRange(rechosen.RenewAt!.Value, moved.AriWindowStart!.Value, moved.AriWindowEnd!.Value);
    }

    [Fact]
    public void The_next_attempt_is_now_for_a_missing_certificate_or_changed_domains_else_the_earliest_chosen_time()
    {
        var now = Issued + TimeSpan.FromDays(5);
        var ecdsa = new RenewalSchedule(null, new Random(1)).Choose(Certificate(TimeSpan.FromDays(90)));
        var state = new AcmeState().With(ecdsa);

        Assert.Equal(new RenewalPlan(now, RenewalReasons.Missing), RenewalSchedule.Next(state, [AcmeKeyTypes.Ecdsa, AcmeKeyTypes.Rsa], Domains, now));
        Assert.Equal(new RenewalPlan(now, RenewalReasons.DomainsChanged), RenewalSchedule.Next(state, [AcmeKeyTypes.Ecdsa], ["mail.example.org", "new.example.org"], now));
        Assert.Equal(new RenewalPlan(ecdsa.RenewAt!.Value, RenewalReasons.RenewBefore), RenewalSchedule.Next(state, [AcmeKeyTypes.Ecdsa], ["MAIL.example.org"], now));
        Assert.False(RenewalSchedule.Next(state, [AcmeKeyTypes.Ecdsa], Domains, now).IsDue(now));
    }

    [Fact]
    public void After_a_failure_the_next_attempt_waits_for_the_backoff()
    {
        var now = Issued + TimeSpan.FromDays(5);
        var state = new AcmeState { RetryAt = now + TimeSpan.FromMinutes(4) };
        Assert.Equal(new RenewalPlan(now + TimeSpan.FromMinutes(4), RenewalReasons.Retry), RenewalSchedule.Next(state, [AcmeKeyTypes.Ecdsa], Domains, now));

        // A backoff that ends before the certificate is due anyway changes nothing.
        var ecdsa = new RenewalSchedule(null, new Random(1)).Choose(Certificate(TimeSpan.FromDays(90)));
        Assert.Equal(RenewalReasons.RenewBefore, RenewalSchedule.Next(state.With(ecdsa), [AcmeKeyTypes.Ecdsa], Domains, now).Reason);
    }

    [Theory]
    [InlineData(1, null, 60)]
    [InlineData(2, null, 120)]
    [InlineData(3, null, 240)]
    [InlineData(9, null, 256 * 60)]
    [InlineData(10, null, 6 * 3600)]
    [InlineData(1000, null, 6 * 3600)]
    [InlineData(1, 3600, 3600)]
    [InlineData(5, 30, 960)]
    [InlineData(1, 30 * 86400, 86400)]
    public void Backoff_doubles_from_a_minute_to_six_hours_and_a_longer_retry_after_wins_up_to_a_day(int failures, int? retryAfterSeconds, int expectedSeconds)
    {
        var retryAfter = retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RenewalSchedule.Backoff(failures, retryAfter));
    }

    [Theory]
    [InlineData(null, 6)]
    [InlineData(1, 6)]
    [InlineData(12, 12)]
    [InlineData(100, 24)]
    public void Ari_is_asked_again_per_its_retry_after_between_six_and_twenty_four_hours(int? retryAfterHours, int expectedHours)
    {
        var retryAfter = retryAfterHours is { } h ? TimeSpan.FromHours(h) : (TimeSpan?)null;
        Assert.Equal(Issued + TimeSpan.FromHours(expectedHours), RenewalSchedule.NextAriPoll(Issued, retryAfter));
    }

    private static AcmeCertificateState Certificate(TimeSpan lifetime) => new()
    {
        KeyType = "ecdsa",
        Serial = "01",
        Issuer = "Fake",
        NotBefore = Issued,
        NotAfter = Issued + lifetime,
        Domains = Domains,
    };
}

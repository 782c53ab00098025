using Postern.Core.TlsReporting;
using Postern.Queue.TlsReports;

namespace Postern.Tests.Queue.TlsReports;

public sealed class TlsReportBookTests
{
    private static readonly DateTimeOffset Day = TlsReportTesting.Day;

    [Fact]
    public void Periods_are_utc_aligned_multiples_of_the_interval()
    {
        var local = new DateTimeOffset(2026, 12, 7, 1, 30, 0, TimeSpan.FromHours(5)); // 2026-12-06T20:30Z
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), ReportPeriods.StartOf(local, TimeSpan.FromDays(1)));
        Assert.Equal(Day.AddHours(6), ReportPeriods.StartOf(Day.AddHours(7), TimeSpan.FromHours(6)));
        Assert.Equal(Day.AddSeconds(20), ReportPeriods.StartOf(Day.AddSeconds(29.9), TimeSpan.FromSeconds(10)));
        Assert.Equal("period-20261207T000000Z.json", ReportPeriods.FileName(Day));
    }

    [Fact]
    public void Sessions_aggregate_per_period_domain_and_policy()
    {
        var book = new TlsReportBook(TimeSpan.FromDays(1), TlsReportLimits.Default);
        var at = Day.AddHours(3);
        book.Add(TlsReportTesting.Success("Company-Y.Example.", at), at);
        book.Add(TlsReportTesting.Success("company-y.example", at, mx: "mx2.mail.company-y.example"), at);
        book.Add(TlsReportTesting.Failure("company-y.example", at, TlsReportResultType.CertificateExpired), at);
        book.Add(TlsReportTesting.Failure("company-y.example", at, TlsReportResultType.CertificateExpired), at);
        book.Add(TlsReportTesting.Failure("company-y.example", at, TlsReportResultType.StartTlsNotSupported), at);
        book.Add(new TlsSessionOutcome("company-y.example", TlsReportPolicyType.NoPolicyFound, [], null, "mx1", null, null, null, null, at), at);
        book.Add(TlsReportTesting.Success("other.example", at), at);
        book.Add(TlsReportTesting.Success("company-y.example", Day.AddDays(1)), Day.AddDays(1));

        var periods = book.Periods.ToList();
        Assert.Equal(2, periods.Count);
        var first = periods[0];
        Assert.Equal(Day, first.Start);
        Assert.Equal(Day.AddDays(1), first.End);
        Assert.Equal(["company-y.example", "other.example"], first.Domains.Select(d => d.Domain));
        var policies = first.Find("company-y.example")!.Policies;
        Assert.Equal(2, policies.Count);
        var sts = policies[0];
        Assert.Equal((2, 3), (sts.Successes, sts.Failures));
        Assert.Equal(["*.mail.company-y.example"], sts.MxHosts);
        Assert.Equal([(TlsReportResultType.CertificateExpired, 2L), (TlsReportResultType.StartTlsNotSupported, 1L)], sts.Details.Select(d => (d.Result, d.Count)));
        Assert.Equal((TlsReportPolicyType.NoPolicyFound, 1L), (policies[1].Type, policies[1].Successes));
        Assert.Equal(1, periods[1].Find("company-y.example")!.Policies[0].Successes);
    }

    [Fact]
    public void Beyond_the_caps_sessions_are_counted_as_dropped_and_failures_without_rows()
    {
        var limits = new TlsReportLimits { MaxDomains = 2, MaxFailureDetails = 1, MaxPoliciesPerDomain = 1 };
        var book = new TlsReportBook(TimeSpan.FromDays(1), limits);
        var at = Day.AddHours(1);
        book.Add(TlsReportTesting.Success("a.example", at), at);
        book.Add(TlsReportTesting.Success("b.example", at), at);
        book.Add(TlsReportTesting.Success("c.example", at), at);
        book.Add(new TlsSessionOutcome("a.example", TlsReportPolicyType.Tlsa, ["3 1 1 00"], "mx", "mx", null, null, null, null, at), at);
        book.Add(TlsReportTesting.Failure("a.example", at, TlsReportResultType.CertificateExpired), at);
        book.Add(TlsReportTesting.Failure("a.example", at, TlsReportResultType.ValidationFailure), at);

        var period = Assert.Single(book.Periods);
        Assert.Equal(["a.example", "b.example"], period.Domains.Select(d => d.Domain));
        Assert.Equal(2, period.DroppedSessions);
        var policy = Assert.Single(period.Find("a.example")!.Policies);
        Assert.Equal(2, policy.Failures);
        Assert.Single(policy.Details);
        Assert.Equal(1, policy.UnlistedFailures);
    }

    [Fact]
    public void The_character_budget_bounds_a_period_however_long_the_texts()
    {
        var book = new TlsReportBook(TimeSpan.FromDays(1), new TlsReportLimits { MaxPeriodCharacters = 4000, MaxTextLength = 100 });
        var at = Day.AddHours(1);
        var longDetail = new string('x', 5000);
        for (var i = 0; i < 100; i++)
        {
            book.Add(TlsReportTesting.Failure($"d{i}.example", at, TlsReportResultType.ValidationFailure, detail: longDetail), at);
        }
        var period = Assert.Single(book.Periods);
        Assert.True(period.Characters <= 4000);
        Assert.True(period.DroppedSessions > 0);
        Assert.All(period.Domains.SelectMany(d => d.Policies).SelectMany(p => p.Details), d => Assert.Equal(100, d.Information!.Length));
        Assert.Equal(100, period.DroppedSessions + period.Domains.Sum(d => d.Policies.Sum(p => p.Failures)));
    }

    [Fact]
    public void A_session_for_a_closed_period_counts_in_the_current_one()
    {
        var book = new TlsReportBook(TimeSpan.FromDays(1), TlsReportLimits.Default);
        var late = Day.AddHours(23);
        book.Add(TlsReportTesting.Success("a.example", late), late);
        book.Find(Day)!.Closed = true;
        var now = Day.AddDays(1).AddMinutes(1);
        book.Add(TlsReportTesting.Success("a.example", late), now);
        Assert.Equal(1, book.Find(Day)!.Domains[0].Policies[0].Successes);
        Assert.Equal(1, book.Find(Day.AddDays(1))!.Domains[0].Policies[0].Successes);
    }
}

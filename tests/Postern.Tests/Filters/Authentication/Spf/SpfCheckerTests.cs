using System.Net;
using Microsoft.Extensions.Time.Testing;
using Postern.Filters.Authentication.Spf;

namespace Postern.Tests.Filters.Authentication.Spf;

/// <summary>What the suite does not cover: the identity checked, the deadline on the injected clock, and the bound on queries.</summary>
public sealed class SpfCheckerTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.9");

    [Fact]
    public async Task The_null_sender_is_checked_as_postmaster_at_the_helo_name()
    {
        var dns = new InMemoryDns().Txt("mail.example.org", "v=spf1 exists:%{l}.%{o}.check.example.org -all").Add("postmaster.mail.example.org.check.example.org", "A", "127.0.0.2");
        var outcome = await Checker(dns).CheckAsync(Client, null, "mail.example.org", CancellationToken.None);
        Assert.Equal(new SpfOutcome(SpfResult.Pass, "helo", "mail.example.org", "mail.example.org", "mail.example.org matched exists"), outcome);
    }

    [Fact]
    public async Task The_mail_from_domain_is_checked_with_the_full_sender()
    {
        var dns = new InMemoryDns().Txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all");
        var outcome = await Checker(dns).CheckAsync(Client, "alice@example.org", "anything.example.net", CancellationToken.None);
        Assert.Equal((SpfResult.Pass, "mailfrom", "alice@example.org", "example.org"), (outcome.Result, outcome.IdentityKind, outcome.Identity, outcome.Domain));
    }

    [Fact]
    public async Task A_record_that_never_answers_is_a_temperror_when_the_deadline_passes()
    {
        var clock = new FakeTimeProvider();
        var dns = new InMemoryDns().Txt("example.org", "v=spf1 include:slow.example.net -all").Hang("slow.example.net");
        var checking = new SpfChecker(dns, clock, TimeSpan.FromSeconds(20)).CheckAsync(Client, "alice@example.org", "h.example.org", CancellationToken.None).AsTask();
        await Task.Delay(50);
        clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(50);
        Assert.False(checking.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));
        var outcome = await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SpfResult.TempError, outcome.Result);
        Assert.Equal("DNS did not answer in time", outcome.Reason);
    }

    [Fact]
    public async Task The_session_s_cancellation_is_not_taken_for_the_deadline()
    {
        using var session = new CancellationTokenSource();
        var dns = new InMemoryDns().Txt("example.org", "v=spf1 include:slow.example.net -all").Hang("slow.example.net");
        var checking = Checker(dns).CheckAsync(Client, "alice@example.org", "h.example.org", session.Token).AsTask();
        await session.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => checking);
    }

    [Fact]
    public async Task More_than_ten_mx_names_is_a_permerror_before_their_addresses_are_looked_up()
    {
        var dns = new InMemoryDns().Txt("example.org", "v=spf1 a mx -all").Add("example.org", "MX", "mx.example.org");
        for (var i = 0; i < 10; i++)
        {
            dns.Add("example.org", "MX", $"mx{i}.example.org");
        }
        var outcome = await Checker(dns).CheckAsync(Client, "alice@example.org", "h.example.org", CancellationToken.None);
        Assert.Equal(SpfResult.PermError, outcome.Result);
        // TXT, A, MX: none of the 11 names' addresses.
        Assert.Equal(3, dns.Queries);
    }

    [Fact]
    public async Task An_include_chain_stops_at_the_tenth_dns_term()
    {
        var dns = new InMemoryDns();
        for (var i = 0; i < 20; i++)
        {
            dns.Txt($"d{i}.example.org", $"v=spf1 include:d{i + 1}.example.org -all");
        }
        var outcome = await Checker(dns).CheckAsync(Client, "alice@d0.example.org", "h.example.org", CancellationToken.None);
        Assert.Equal(SpfResult.PermError, outcome.Result);
        Assert.Equal("more than 10 DNS lookups", outcome.Reason);
        Assert.Equal(11, dns.Queries);
    }

    private static SpfChecker Checker(InMemoryDns dns) => new(dns, TimeProvider.System, TimeSpan.FromSeconds(20));
}

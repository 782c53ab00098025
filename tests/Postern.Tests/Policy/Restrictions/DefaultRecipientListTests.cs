using Postern.Core.Tls;

namespace Postern.Tests.Policy.Restrictions;

/// <summary>The default recipient restrictions, case by case: who gets what, and which rule says so.</summary>
public sealed class DefaultRecipientListTests
{
    [Theory]
    // Local recipients, from anyone; a relaying client still meets the user check.
    [InlineData("203.0.113.9", null, null, "alice@example.org", "ACCEPT", "permit_local_domains: local recipient")]
    [InlineData("203.0.113.9", null, null, "nobody@example.org", "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown", "permit_local_domains: ")]
    [InlineData("203.0.113.9", null, null, "broken@example.org", "451 4.3.0 <broken@example.org>: Temporary lookup failure", "permit_local_domains: ")]
    [InlineData("10.1.2.3", null, null, "nobody@example.org", "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown", "permit_local_domains: ")]
    // Relay domains from anyone; other domains only for trusted clients.
    [InlineData("203.0.113.9", null, null, "x@relay.example", "ACCEPT", "permit_relay_domains: ")]
    [InlineData("203.0.113.9", null, null, "x@gmail.test", "550 5.7.1 <x@gmail.test>: Relaying denied", "reject_unauth_destination: ")]
    [InlineData("127.0.0.1", null, null, "x@gmail.test", "550 5.7.1 <x@gmail.test>: Relaying denied", "reject_unauth_destination: ")]
    [InlineData("10.1.2.3", null, null, "x@gmail.test", "ACCEPT", "permit_relay_networks: client in relay network 10.1.0.0/16")]
    [InlineData("::ffff:10.1.2.3", null, null, "x@gmail.test", "ACCEPT", "permit_relay_networks: client in relay network 10.1.0.0/16")]
    [InlineData("198.51.100.7", null, null, "x@gmail.test", "ACCEPT", "permit_relay_networks: /etc/mail/access:2 client listed Connect:198.51.100.7 RELAY")]
    [InlineData("198.51.100.8", null, null, "x@gmail.test", "550 5.7.1 <x@gmail.test>: Relaying denied", "reject_unauth_destination: ")]
    [InlineData("203.0.113.9", null, "alice", "x@gmail.test", "ACCEPT", "permit_sasl_authenticated: authenticated as alice")]
    // Certificates: only verify=OK, only listed issuers (or SUBJECT + listed subject).
    [InlineData("203.0.113.9", VerifyResult.Ok, null, "x@gmail.test", "ACCEPT", "permit_tls_clientcerts: /etc/mail/access:17 verify=OK, certificate issuer /CN=Corp CA: RELAY")]
    [InlineData("203.0.113.9", VerifyResult.Fail, null, "x@gmail.test", "550 5.7.1 <x@gmail.test>: Relaying denied", "reject_unauth_destination: ")]
    [InlineData("203.0.113.9", VerifyResult.No, null, "x@gmail.test", "550 5.7.1 <x@gmail.test>: Relaying denied", "reject_unauth_destination: ")]
    // The recipient map: RELAY relays to that domain, OK never does, REJECT beats a trusted client.
    [InlineData("203.0.113.9", null, null, "x@partner.example", "ACCEPT", "check_recipient_access: /etc/mail/access:11 To:partner.example RELAY")]
    [InlineData("203.0.113.9", null, null, "x@okay.example", "550 5.7.1 <x@okay.example>: Relaying denied", "reject_unauth_destination: ")]
    [InlineData("203.0.113.9", null, null, "nobody2@example.org", "ACCEPT", "check_recipient_access: /etc/mail/access:13 To:nobody2@example.org OK")]
    [InlineData("10.1.2.3", null, null, "x@blocked.example", "550 5.7.1 Access denied", "check_recipient_access: /etc/mail/access:16 To:blocked.example REJECT")]
    [InlineData("203.0.113.9", null, null, "held@example.org", "QUARANTINE", "check this (check_recipient_access: /etc/mail/access:14 To:held@example.org QUARANTINE:check this)")]
    [InlineData("203.0.113.9", null, null, "void@example.org", "DISCARD", "check_recipient_access: /etc/mail/access:15 To:void@example.org DISCARD")]
    // Address tricks never route, whoever asks.
    [InlineData("10.1.2.3", null, null, "x%gmail.test@relay.example", "550 5.7.1 <x%gmail.test@relay.example>: Relaying denied", "reject_routing_tricks: ")]
    [InlineData("203.0.113.9", null, "alice", "gmail.test!x@relay.example", "550 5.7.1 <gmail.test!x@relay.example>: Relaying denied", "reject_routing_tricks: ")]
    [InlineData("203.0.113.9", VerifyResult.Ok, null, "x@[192.0.2.1]", "550 5.7.1 <x@[192.0.2.1]>: Relaying denied", "reject_routing_tricks: address literals are never relayed")]
    public void Recipient_decisions(string client, VerifyResult? verify, string? auth, string recipient, string expected, string reason)
    {
        var policy = RestrictionFixture.Policy();

        var evaluation = policy.EvaluateRecipient(RestrictionFixture.Session(client, verify, auth: auth), null, RestrictionFixture.Address(recipient));

        Assert.Equal(expected, RestrictionFixture.Outcome(evaluation.Decision));
        Assert.StartsWith(reason, evaluation.Decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/CN=laptop", "ACCEPT")]
    [InlineData("/CN=desktop", "550 5.7.1 <x@gmail.test>: Relaying denied")]
    public void A_subject_issuer_admits_only_listed_subjects(string subject, string expected)
    {
        var session = RestrictionFixture.Session("203.0.113.9", VerifyResult.Ok, issuer: "/CN=Strict CA", subject: subject);

        var decision = RestrictionFixture.Policy().EvaluateRecipient(session, null, RestrictionFixture.Address("x@gmail.test")).Decision;

        Assert.Equal(expected, RestrictionFixture.Outcome(decision));
    }

    [Fact]
    public void A_rejecting_issuer_refuses_even_a_verified_certificate()
    {
        var session = RestrictionFixture.Session("203.0.113.9", VerifyResult.Ok, issuer: "/CN=Banned CA");

        var decision = RestrictionFixture.Policy().EvaluateRecipient(session, null, RestrictionFixture.Address("x@gmail.test")).Decision;

        Assert.Equal("550 5.7.1 Access denied", decision.Reply?.ToString());
        Assert.Equal("permit_tls_clientcerts: /etc/mail/access:20 verify=OK, certificate issuer /CN=Banned CA: REJECT", decision.Reason);
    }

    [Fact]
    public void The_trace_lists_every_restriction_evaluated_in_order()
    {
        var evaluation = RestrictionFixture.Policy().EvaluateRecipient(RestrictionFixture.Session("10.1.2.3"), null, RestrictionFixture.Address("x@gmail.test"));

        Assert.Equal(
            ["reject_routing_tricks", "check_recipient_access", "permit_local_domains", "permit_relay_domains", "permit_relay_networks"],
            evaluation.Steps.Select(s => s.Name));
        Assert.All(evaluation.Steps.SkipLast(1), s => Assert.Equal(Postern.Policy.Restrictions.RestrictionOutcome.Dunno, s.Result.Outcome));
    }

    [Fact]
    public void Without_an_access_map_the_map_checks_say_dunno()
    {
        var policy = RestrictionFixture.Policy(map: Postern.Policy.Access.AccessMap.Empty);

        var local = policy.EvaluateRecipient(RestrictionFixture.Session("198.51.100.7"), null, RestrictionFixture.Address("alice@example.org"));
        var remote = policy.EvaluateRecipient(RestrictionFixture.Session("198.51.100.7", VerifyResult.Ok), null, RestrictionFixture.Address("x@gmail.test"));

        Assert.Equal("ACCEPT", RestrictionFixture.Outcome(local.Decision));
        Assert.Equal("550 5.7.1 <x@gmail.test>: Relaying denied", RestrictionFixture.Outcome(remote.Decision));
    }
}

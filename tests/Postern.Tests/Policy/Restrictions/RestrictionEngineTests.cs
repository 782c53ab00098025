using Postern.Core.Policy;
using Postern.Policy.Restrictions;

namespace Postern.Tests.Policy.Restrictions;

/// <summary>How a list is evaluated: first Permit/Reject ends it, OK never relays, quarantine waits for the end.</summary>
public sealed class RestrictionEngineTests
{
    [Fact]
    public void Relay_by_sender_never_relays()
    {
        var policy = RestrictionFixture.Policy(new RestrictionLists { Recipient = ["check_sender_access", "reject_unauth_destination"] });

        var evaluation = policy.EvaluateRecipient(RestrictionFixture.Session("203.0.113.9"), RestrictionFixture.Address("friend@partner.example"), RestrictionFixture.Address("x@gmail.test"));

        Assert.Equal("550 5.7.1 <x@gmail.test>: Relaying denied", evaluation.Decision.Reply?.ToString());
        var ignored = evaluation.Steps.Single(s => s.Name == "check_sender_access");
        Assert.Equal(RestrictionOutcome.Permit, ignored.Result.Outcome);
        Assert.Equal("does not authorise relaying to gmail.test; going on", ignored.Note);
    }

    [Fact]
    public void Client_ok_at_rcpt_does_not_relay_but_client_relay_does()
    {
        var policy = RestrictionFixture.Policy(new RestrictionLists { Recipient = ["check_client_access", "reject_unauth_destination"] });
        var recipient = RestrictionFixture.Address("x@gmail.test");

        var ok = policy.EvaluateRecipient(RestrictionFixture.Session("198.51.100.8"), null, recipient).Decision;
        var relay = policy.EvaluateRecipient(RestrictionFixture.Session("198.51.100.7"), null, recipient).Decision;

        Assert.Equal(PolicyVerdict.Reject, ok.Verdict);
        Assert.Equal(PolicyVerdict.Accept, relay.Verdict);
    }

    [Fact]
    public void Permit_after_reject_unauth_destination_only_accepts_served_domains()
    {
        var policy = RestrictionFixture.Policy(new RestrictionLists { Recipient = ["reject_unauth_destination", "permit"] });

        var remote = policy.EvaluateRecipient(RestrictionFixture.Session("203.0.113.9"), null, RestrictionFixture.Address("x@gmail.test")).Decision;
        var local = policy.EvaluateRecipient(RestrictionFixture.Session("203.0.113.9"), null, RestrictionFixture.Address("nobody@example.org")).Decision;

        Assert.Equal(PolicyVerdict.Reject, remote.Verdict);
        Assert.Equal("permit: permit", local.Reason);
    }

    [Fact]
    public void Quarantine_goes_on_and_a_later_reject_wins()
    {
        var policy = RestrictionFixture.Policy(new RestrictionLists { Recipient = ["check_client_access", "permit_local_domains", "reject_unauth_destination"] });
        var session = RestrictionFixture.Session("203.0.113.69");

        var remote = policy.EvaluateRecipient(session, null, RestrictionFixture.Address("x@gmail.test")).Decision;
        var local = policy.EvaluateRecipient(session, null, RestrictionFixture.Address("alice@example.org")).Decision;

        Assert.Equal(PolicyVerdict.Reject, remote.Verdict);
        Assert.Equal(PolicyVerdict.Quarantine, local.Verdict);
        Assert.Equal("suspicious client (check_client_access: /etc/mail/access:7 Connect:203.0.113.69 QUARANTINE:suspicious client)", local.Reason);
    }

    [Fact]
    public void Discard_ends_the_stage()
    {
        var evaluation = RestrictionFixture.Policy().EvaluateConnect(RestrictionFixture.Session("203.0.113.68"));

        Assert.Equal(PolicyVerdict.Discard, evaluation.Decision.Verdict);
        Assert.Single(evaluation.Steps);
    }

    [Fact]
    public void An_invalid_list_cannot_build_a_policy()
    {
        var exception = Assert.Throws<ArgumentException>(() => RestrictionFixture.Policy(new RestrictionLists { Recipient = ["permit_local_domains", "permit"] }));

        Assert.Contains("open relay", exception.Message, StringComparison.Ordinal);
    }
}

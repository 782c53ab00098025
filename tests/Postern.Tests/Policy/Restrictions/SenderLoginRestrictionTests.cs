using Postern.Core.Policy;
using Postern.Policy;
using Postern.Policy.Auth;
using Postern.Policy.Restrictions;

namespace Postern.Tests.Policy.Restrictions;

/// <summary>reject_sender_login_mismatch: what the sender login map puts at the head of the sender restrictions.</summary>
public sealed class SenderLoginRestrictionTests
{
    private static readonly SenderLoginMap Map = SenderLoginMap.Parse("alice@example.org alice\n@example.net alice, bob\n", "logins");

    private static RelayPolicy Policy(RestrictionLists? lists = null) =>
        new(() => new FakeRecipients(), RestrictionFixture.Options with { Restrictions = lists ?? new RestrictionLists() }, () => RestrictionFixture.Map, () => Map);

    private static SessionFacts LoggedIn(string? login) => RestrictionFixture.Session("203.0.113.9") with { SaslLogin = login };

    [Theory]
    [InlineData("alice", "alice@example.org", "ACCEPT")]
    [InlineData("ALICE", "Alice@Example.org", "ACCEPT")]
    [InlineData("bob", "anyone@example.net", "ACCEPT")]
    [InlineData("alice", "bob@example.org", "553 5.7.1 <bob@example.org>: Sender address rejected: not owned by user alice")]
    [InlineData("bob", "alice@example.org", "553 5.7.1 <alice@example.org>: Sender address rejected: not owned by user bob")]
    [InlineData(null, "bob@example.org", "ACCEPT")]
    public void An_authenticated_client_may_use_only_its_own_senders(string? login, string sender, string expected)
    {
        var decision = Policy().EvaluateSender(LoggedIn(login), RestrictionFixture.Address(sender)).Decision;

        Assert.Equal(expected, RestrictionFixture.Outcome(decision));
    }

    [Fact]
    public void The_null_sender_is_anyones()
    {
        Assert.Equal("ACCEPT", RestrictionFixture.Outcome(Policy().EvaluateSender(LoggedIn("alice"), null).Decision));
    }

    [Fact]
    public void A_refusal_keeps_the_sessions_log_reason_and_metrics_rule()
    {
        var evaluation = Policy().EvaluateSender(LoggedIn("al\u0001ice"), RestrictionFixture.Address("bob@example.org"));

        Assert.Equal("sender login mismatch: authid=al?ice", evaluation.Decision.Reason);
        Assert.Equal("sender_login", evaluation.Decision.Rule);
        Assert.Equal("553 5.7.1 <bob@example.org>: Sender address rejected: not owned by user al?ice", evaluation.Decision.Reply!.ToString());
        Assert.Equal(RejectSenderLoginMismatch.RestrictionName, evaluation.Steps[0].Name);
    }

    [Fact]
    public void It_heads_the_sender_list_before_anything_configured()
    {
        var lists = new RestrictionLists { Sender = ["permit"] };

        var evaluation = Policy(lists).EvaluateSender(LoggedIn("alice"), RestrictionFixture.Address("bob@example.org"));

        Assert.Equal(PolicyVerdict.Reject, evaluation.Decision.Verdict);
        Assert.Single(evaluation.Steps);
    }

    [Fact]
    public void Without_a_map_there_is_no_such_step_and_it_cannot_be_listed()
    {
        var evaluation = RestrictionFixture.Policy().EvaluateSender(LoggedIn("alice"), RestrictionFixture.Address("bob@example.org"));

        Assert.Equal("ACCEPT", RestrictionFixture.Outcome(evaluation.Decision));
        Assert.DoesNotContain(evaluation.Steps, s => s.Name == RejectSenderLoginMismatch.RestrictionName);
        Assert.NotEmpty(RestrictionCatalog.Validate(RestrictionStage.Mail, [RejectSenderLoginMismatch.RestrictionName]));
    }

    [Fact]
    public void It_applies_at_mail_only()
    {
        var restriction = new RejectSenderLoginMismatch();

        Assert.True(restriction.AppliesTo(RestrictionStage.Mail));
        Assert.False(restriction.AppliesTo(RestrictionStage.Rcpt));
        Assert.False(restriction.AppliesTo(RestrictionStage.Connect));
    }

    private sealed class FakeRecipients : Postern.Core.Delivery.ILocalRecipients
    {
        public bool IsLocalDomain(string domain) => false;

        public Postern.Core.Delivery.LocalRecipientStatus Lookup(Postern.Core.Addressing.Mailbox mailbox) => Postern.Core.Delivery.LocalRecipientStatus.Unknown;
    }
}

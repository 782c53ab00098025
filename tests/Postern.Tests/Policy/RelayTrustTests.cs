using System.Net;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Policy;
using Postern.Policy.Restrictions;
using Postern.Tests.Policy.Golden;

namespace Postern.Tests.Policy;

/// <summary>
/// RelayPolicy.MayRelay, the fact the DKIM signer acts on: yes exactly for the clients the RCPT
/// stage lets relay to a domain Postern does not serve, and for local submissions.
/// </summary>
public sealed class RelayTrustTests
{
    private static readonly IPEndPoint Outside = new(IPAddress.Parse("203.0.113.9"), 40000);

    [Fact]
    public async Task It_agrees_with_the_RCPT_decision_for_every_foreign_recipient_of_the_relay_decision_cases()
    {
        var checkedRows = 0;
        foreach (var row in GoldenCase.Load("relay-decisions.cases"))
        {
            var (policy, session, recipient) = RelayDecisionDriver.Build(row);
            var relayDomains = new RelayDomainSet([.. row.List(2)]);
            // Served domains are accepted from anyone; routing tricks (address literals, % and ! paths) are refused to everyone.
            var trick = recipient.IsDomainLiteral || recipient.LocalPart.IndexOfAny(['%', '!']) >= 0;
            if (trick || recipient.Domain.Equals("example.org", StringComparison.OrdinalIgnoreCase) || relayDomains.Contains(recipient.Domain))
            {
                continue;
            }
            var decision = await policy.CheckRecipientAsync(session, null, recipient, CancellationToken.None);
            Assert.True(decision.IsAccepted == policy.MayRelay(session), $"relay-decisions.cases:{row.Line}: RCPT {(decision.IsAccepted ? "accepted" : "refused")} but MayRelay says {policy.MayRelay(session)}");
            checkedRows++;
        }
        Assert.True(checkedRows >= 10, $"only {checkedRows} rows had a foreign recipient");
    }

    [Fact]
    public void An_authenticated_client_may_relay_one_whose_mechanism_is_untrusted_may_not()
    {
        var policy = Policy(new RelayPolicyOptions());
        var session = Session("msa");

        Assert.False(policy.MayRelay(session));
        Assert.False(policy.MayRelay(session with { SaslLogin = "alice" }));
        Assert.True(policy.MayRelay(session with { SaslLogin = "alice", AuthenticatedUser = "alice", AuthMechanism = "PLAIN" }));
    }

    [Fact]
    public void A_local_submission_may_relay()
    {
        var policy = Policy(new RelayPolicyOptions());

        Assert.True(policy.MayRelay(Session(SessionFacts.LocalListenerName) with { AuthenticatedUser = "alice" }));
        Assert.True(Session(SessionFacts.LocalListenerName).IsLocalSubmission);
    }

    [Fact]
    public void A_trust_left_out_of_the_recipient_list_grants_nothing()
    {
        var lists = new RestrictionLists { Recipient = ["permit_local_domains", "permit_relay_networks", "reject_unauth_destination"] };
        var policy = Policy(new RelayPolicyOptions { Restrictions = lists, RelayNetworks = [IPNetwork.Parse("203.0.113.0/24")] });

        Assert.True(policy.MayRelay(Session("mta")));
        Assert.False(Policy(new RelayPolicyOptions { Restrictions = lists }).MayRelay(Session("mta") with { AuthenticatedUser = "alice" }));
    }

    private static RelayPolicy Policy(RelayPolicyOptions options) => new(() => new LocalDomain("example.org", LocalRecipientStatus.Known), options);

    private static SessionFacts Session(string listener) => new(Outside, new IPEndPoint(IPAddress.Loopback, 25), listener, ListenerRole.Mta);
}

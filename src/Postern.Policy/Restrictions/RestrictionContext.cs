using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Policy.Access;
using Postern.Policy.Auth;

namespace Postern.Policy.Restrictions;

/// <summary>Everything a restriction may look at for one decision: the stage, the session, the envelope so far and the tables.</summary>
internal sealed record RestrictionContext(
    RestrictionStage Stage,
    SessionFacts Session,
    ILocalRecipients Local,
    AccessMap Map,
    RelayDomainSet RelayDomains,
    IReadOnlyList<IPNetwork> RelayNetworks)
{
    /// <summary>The HELO/EHLO argument at the HELO stage, else the session's.</summary>
    public string? HeloName { get; init; }

    /// <summary>The reverse path from MAIL on; null is the null sender (or no MAIL yet).</summary>
    public Mailbox? Sender { get; init; }

    /// <summary>The sender login map (its rows for this sender when it is a table).</summary>
    public SenderLoginMap SenderLogins { get; init; } = SenderLoginMap.Empty;

    /// <summary>The recipient at the RCPT stage.</summary>
    public Mailbox? Recipient { get; init; }

    /// <summary>The client address, IPv4-mapped addresses as IPv4 (a dual-stack socket shows ::ffff:a.b.c.d).</summary>
    public IPAddress ClientAddress =>
        Session.Remote.Address.IsIPv4MappedToIPv6 ? Session.Remote.Address.MapToIPv4() : Session.Remote.Address;

    /// <summary>The recipient's domain is one Postern serves: local, or a relay domain. Address literals never are.</summary>
    public bool IsAuthorizedDestination =>
        Recipient is { IsDomainLiteral: false } recipient
        && (Local.IsLocalDomain(recipient.Domain) || RelayDomains.Contains(recipient.Domain));
}

using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Policy.Access;

namespace Postern.Policy;

/// <summary>
/// The relay decision: a recipient is accepted when it is local (known user or alias), when its
/// domain is a relay domain, when the client is in a relay network, or when the client's TLS
/// certificate verified and the access map lets it relay (CERTISSUER:/CERTSUBJECT:/CERTFP:/
/// CERTSPKI:/CERTSAN: with RELAY or OK). Nothing else relays: address literals and <c>%</c> /
/// <c>!</c> routing in the local part never do.
/// </summary>
public sealed class RelayPolicy(Func<ILocalRecipients> localRecipients, RelayPolicyOptions options, Func<AccessMap>? accessMap = null) : IPolicyEngine
{
    private readonly HashSet<string> _exactDomains = new(
        options.RelayDomains.Where(d => !d.StartsWith('.')).Select(Normalize), StringComparer.OrdinalIgnoreCase);

    private readonly HashSet<string> _parentDomains = new(
        options.RelayDomains.Where(d => d.StartsWith('.')).Select(Normalize), StringComparer.OrdinalIgnoreCase);

    public ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no connect restrictions"));

    public ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no helo restrictions"));

    public ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no sender restrictions"));

    public ValueTask<PolicyDecision> CheckRecipientAsync(
        SessionFacts session,
        Mailbox? sender,
        Mailbox recipient,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(recipient);
        return ValueTask.FromResult(Decide(session, recipient));
    }

    public ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no data restrictions"));

    private PolicyDecision Decide(SessionFacts session, Mailbox recipient)
    {
        var directory = localRecipients();
        if (recipient.IsDomainLiteral)
        {
            return Denied(recipient, "address literals are never relayed");
        }
        if (directory.IsLocalDomain(recipient.Domain))
        {
            return Local(directory, recipient);
        }
        if (HasRoutingCharacters(recipient.LocalPart))
        {
            return Denied(recipient, "'%', '!' or '@' in the local part never route mail");
        }
        if (IsRelayDomain(recipient.Domain))
        {
            return PolicyDecision.Accept("relay domain " + recipient.Domain);
        }
        var network = RelayNetworkOf(session.Remote.Address);
        if (network is not null)
        {
            return PolicyDecision.Accept("client in relay network " + network);
        }
        if (CertificateGrant(session) is { } granted)
        {
            return granted;
        }
        return Denied(recipient, "recipient domain is not local or a relay domain, and the client is not in a relay network");
    }

    /// <summary>
    /// permit_tls_clientcerts: only a certificate that verified is looked up at all (the access map
    /// enforces it too), and only RELAY or OK grants; REJECT or ERROR there refuses at once.
    /// </summary>
    private PolicyDecision? CertificateGrant(SessionFacts session)
    {
        if (accessMap is null || session.Tls?.Peer is not { IsOk: true } peer || accessMap().LookupCertificate(peer) is not { } match)
        {
            return null;
        }
        var where = "access map line " + match.Entry.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + match.Reason;
        return match.Entry.Action switch
        {
            AccessAction.Relay or AccessAction.Ok => PolicyDecision.Accept("permit_tls_clientcerts: " + where),
            AccessAction.Error when match.Entry.Reply is { } reply => PolicyDecision.Reject(reply, "access map ERROR: " + where),
            AccessAction.Reject => PolicyDecision.Reject(new SmtpReply(550, "5.7.1", "Access denied"), "access map REJECT: " + where),
            _ => null,
        };
    }

    private static PolicyDecision Local(ILocalRecipients directory, Mailbox recipient) =>
        directory.Lookup(recipient) switch
        {
            LocalRecipientStatus.Known => PolicyDecision.Accept("local recipient"),
            LocalRecipientStatus.Unknown => PolicyDecision.Reject(
                new SmtpReply(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown"),
                "no such local user or alias"),
            _ => PolicyDecision.Reject(
                new SmtpReply(451, "4.3.0", "<" + recipient + ">: Temporary lookup failure"),
                "local recipient lookup failed"),
        };

    private static PolicyDecision Denied(Mailbox recipient, string reason) =>
        PolicyDecision.Reject(new SmtpReply(550, "5.7.1", "<" + recipient + ">: Relaying denied"), reason);

    private static bool HasRoutingCharacters(string localPart) =>
        localPart.AsSpan().IndexOfAny('%', '!', '@') >= 0;

    private bool IsRelayDomain(string domain)
    {
        var name = Normalize(domain);
        if (_exactDomains.Contains(name))
        {
            return true;
        }
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            if (_parentDomains.Contains(name[dot..]))
            {
                return true;
            }
        }
        return false;
    }

    private IPNetwork? RelayNetworkOf(IPAddress address)
    {
        // A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d; IPv4 networks must still match.
        var client = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in options.RelayNetworks)
        {
            if (network.Contains(client))
            {
                return network;
            }
        }
        return null;
    }

    private static string Normalize(string domain) =>
        (domain.EndsWith('.') ? domain[..^1] : domain).ToLowerInvariant();
}

using Postern.Core.Delivery;
using Postern.Core.Maps;
using Postern.Policy.Access;
using Postern.Policy.Auth;

namespace Postern.Policy;

/// <summary>
/// The maps the policy reads at decision time, each a file held in memory or a table. A table is
/// read before the stage's restrictions run (they stay synchronous), only for the keys that stage
/// can consult.
/// </summary>
public sealed record PolicyMaps
{
    /// <summary>The access map; null: none.</summary>
    public AccessMapSource? Access { get; init; }

    /// <summary>The sender login map; when set, reject_sender_login_mismatch heads the sender restrictions.</summary>
    public SenderLoginSource? SenderLogins { get; init; }

    /// <summary><c>policy.relay_domains = "pgsql:TABLE"</c>; null: the configured list.</summary>
    public ILookupTable? RelayDomains { get; init; }

    /// <summary>Aliases and virtual mailboxes from tables, asked at RCPT; null: the local directory alone answers.</summary>
    public IRecipientResolver? Recipients { get; init; }
}

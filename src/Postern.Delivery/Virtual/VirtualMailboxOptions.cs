using Postern.Core.Maps;

namespace Postern.Delivery.Virtual;

/// <summary>
/// The <c>[virtual]</c> section: domains whose mailboxes are listed in a map rather than being
/// system users, delivered by <see cref="Transport"/> (Postfix's virtual_mailbox_domains,
/// virtual_mailbox_maps and virtual_transport). Recipients in these domains that the map does not
/// list are refused at RCPT with 550 5.1.1.
/// </summary>
public sealed record VirtualMailboxOptions
{
    public static VirtualMailboxOptions None { get; } = new();

    /// <summary>The virtual mailbox domains named in the configuration (lower case); empty when <see cref="DomainsTable"/> is set or none.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>A table whose keys are the virtual mailbox domains (lower case; the value is ignored); null when <see cref="Domains"/> lists them.</summary>
    public MapReference? DomainsTable { get; init; }

    /// <summary>The mailboxes: key = the address (lower case), value = the mailbox name the transport is given (often the same address); null: none.</summary>
    public MapReference? Mailboxes { get; init; }

    /// <summary>Where their mail goes, as configured (<c>lmtp:unix:/run/dovecot/lmtp</c>, <c>lmtp:[127.0.0.1]:24</c>); null: no virtual domains.</summary>
    public string? Transport { get; init; }

    public bool IsEnabled => Domains.Count > 0 || DomainsTable is not null;
}

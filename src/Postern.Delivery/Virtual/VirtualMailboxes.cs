using Postern.Core.Addressing;
using Postern.Core.Maps;

namespace Postern.Delivery.Virtual;

/// <summary>
/// The virtual mailbox domains and their mailboxes (Postfix's virtual_mailbox_domains and
/// virtual_mailbox_maps), each a list, a file in memory or a table. Keys are lowercased: the domain,
/// and the full address. A mailbox's value is what the virtual transport is given as the recipient
/// (often the address itself; a bare name is taken in the recipient's domain).
/// </summary>
public sealed class VirtualMailboxes
{
    private readonly HashSet<string> _domains;
    private readonly ILookupTable? _domainTable;
    private readonly ILookupTable _mailboxes;

    /// <param name="domains">The domains named in the configuration (ignored when <paramref name="domainTable"/> is set).</param>
    /// <param name="domainTable">A table (or file) whose keys are the domains.</param>
    /// <param name="mailboxes">The mailbox map.</param>
    public VirtualMailboxes(IEnumerable<string> domains, ILookupTable? domainTable, ILookupTable mailboxes)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(mailboxes);
        _domains = new HashSet<string>(domains.Select(Normalize), StringComparer.Ordinal);
        _domainTable = domainTable;
        _mailboxes = mailboxes;
    }

    /// <summary>Where the mailboxes come from (a path or <c>pgsql:NAME</c>).</summary>
    public string MailboxesName => _mailboxes.Name;

    /// <exception cref="LookupTableUnavailableException">The domain table cannot answer now.</exception>
    public async ValueTask<bool> IsVirtualDomainAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var name = Normalize(domain);
        if (_domainTable is null)
        {
            return _domains.Contains(name);
        }
        return (await _domainTable.FindAsync([name], cancellationToken)).ContainsKey(name);
    }

    /// <summary>The mailbox <paramref name="address"/> is delivered to, or null when the map does not list it.</summary>
    /// <exception cref="LookupTableUnavailableException">The mailbox map cannot answer now.</exception>
    public async ValueTask<Mailbox?> MailboxOfAsync(Mailbox address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = Key(address);
        var rows = await _mailboxes.FindAsync([key], cancellationToken);
        if (!rows.TryGetValue(key, out var value))
        {
            return null;
        }
        value = value.Trim();
        if (value.Length == 0)
        {
            return address;
        }
        if (MailboxParser.TryParseMailbox(value, out var mailbox, out _) && mailbox is not null)
        {
            return mailbox;
        }
        return MailboxParser.TryParseMailbox(value + "@" + address.Domain, out mailbox, out _) && mailbox is not null
            ? mailbox
            : throw new LookupTableUnavailableException(_mailboxes.Name, "row '" + key + "' names no mailbox: '" + value + "'");
    }

    /// <summary>The stored key of an address: lower case, without a trailing dot.</summary>
    public static string Key(Mailbox address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return (address with { Domain = Normalize(address.Domain) }).ToString().ToLowerInvariant();
    }

    private static string Normalize(string domain) => (domain.EndsWith('.') ? domain[..^1] : domain).ToLowerInvariant();
}

using Postern.Core.Maps;

namespace Postern.Policy.Restrictions;

/// <summary>
/// <c>policy.relay_domains = "pgsql:TABLE"</c>: one row per entry, keyed as the list writes it
/// (<c>example.net</c> for that domain, <c>.example.net</c> for its subdomains; lower case). Before a
/// recipient is judged the rows that could match its domain are fetched, and the set of those
/// answers as the whole table would.
/// </summary>
internal sealed class RelayDomainTable(ILookupTable table)
{
    public async ValueTask<RelayDomainSet> ViewAsync(string domain, CancellationToken cancellationToken)
    {
        var rows = await table.FindAsync(Keys(domain), cancellationToken);
        return new RelayDomainSet(rows.Keys);
    }

    /// <summary>The domain, then <c>.parent</c> for each of its parents.</summary>
    internal static IReadOnlyCollection<string> Keys(string domain)
    {
        var name = (domain.EndsWith('.') ? domain[..^1] : domain).ToLowerInvariant();
        var keys = new List<string> { name };
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            keys.Add(name[dot..]);
        }
        return keys;
    }
}

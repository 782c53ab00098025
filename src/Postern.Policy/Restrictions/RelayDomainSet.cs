namespace Postern.Policy.Restrictions;

/// <summary><c>policy.relay_domains</c>: <c>example.net</c> matches that domain only, <c>.example.net</c> its subdomains.</summary>
internal sealed class RelayDomainSet
{
    private readonly HashSet<string> _exact;
    private readonly HashSet<string> _parents;

    public RelayDomainSet(IEnumerable<string> domains)
    {
        var list = domains.ToList();
        _exact = new(list.Where(d => !d.StartsWith('.')).Select(Normalize), StringComparer.OrdinalIgnoreCase);
        _parents = new(list.Where(d => d.StartsWith('.')).Select(Normalize), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The entry that matches <paramref name="domain"/> as written in the configuration, or null.</summary>
    public string? Match(string domain)
    {
        var name = Normalize(domain);
        if (_exact.Contains(name))
        {
            return name;
        }
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            if (_parents.Contains(name[dot..]))
            {
                return name[dot..];
            }
        }
        return null;
    }

    public bool Contains(string domain) => Match(domain) is not null;

    private static string Normalize(string domain) =>
        (domain.EndsWith('.') ? domain[..^1] : domain).ToLowerInvariant();
}

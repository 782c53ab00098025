namespace Postern.Filters.Dkim;

/// <summary>
/// The loaded <c>[[dkim]]</c> entries, by domain: which signatures a From: domain gets. The
/// domain's own entries win; without any, the nearest parent domain whose entries have
/// <c>subdomains = true</c> signs. Immutable: a reload builds a new table, and the old one is left
/// to the garbage collector rather than disposed, since a session may be signing with it.
/// </summary>
public sealed class DkimSigningTable : IDisposable
{
    private readonly Dictionary<string, DkimSigner[]> _byDomain;

    public DkimSigningTable(IReadOnlyList<DkimSigner> signers, IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(signers);
        ArgumentNullException.ThrowIfNull(warnings);
        Signers = signers;
        Warnings = warnings;
        _byDomain = signers.GroupBy(s => s.Entry.Domain, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    public static DkimSigningTable Empty { get; } = new([], []);

    /// <summary>Every signer, in configuration order.</summary>
    public IReadOnlyList<DkimSigner> Signers { get; }

    /// <summary>What loading the keys found worth saying (key files others can read).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool IsEmpty => Signers.Count == 0;

    /// <summary>The signers for mail from <paramref name="domain"/> (a From: domain); empty when none applies.</summary>
    public IReadOnlyList<DkimSigner> For(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || _byDomain.Count == 0)
        {
            return [];
        }
        if (_byDomain.TryGetValue(domain, out var own))
        {
            return own;
        }
        for (var dot = domain.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = domain.IndexOf('.', dot + 1))
        {
            if (_byDomain.TryGetValue(domain[(dot + 1)..], out var parent))
            {
                var inherited = parent.Where(s => s.Entry.Subdomains).ToArray();
                if (inherited.Length > 0)
                {
                    return inherited;
                }
            }
        }
        return [];
    }

    public void Dispose()
    {
        foreach (var signer in Signers)
        {
            signer.Dispose();
        }
    }
}

namespace Postern.Filters.Dkim;

/// <summary>
/// The loaded <c>[[dkim]]</c> entries, by domain: which signatures a From: domain gets. The
/// domain's own entries win; without any, the nearest parent domain whose entries have
/// <c>subdomains = true</c> signs. Immutable: a reload builds a new table.
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
        foreach (var signer in signers)
        {
            BodyCanonicalizations |= signer.Entry.BodyCanonicalization == DkimCanonicalization.Simple ? SimpleFlag : RelaxedFlag;
        }
    }

    public static DkimSigningTable Empty { get; } = new([], []);

    /// <summary>Every signer, in configuration order.</summary>
    public IReadOnlyList<DkimSigner> Signers { get; }

    /// <summary>What loading the keys found worth saying (key files others can read).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool IsEmpty => Signers.Count == 0;

    internal const int RelaxedFlag = 1;
    internal const int SimpleFlag = 2;

    /// <summary>The body canonicalizations some entry uses, as flags.</summary>
    internal int BodyCanonicalizations { get; }

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

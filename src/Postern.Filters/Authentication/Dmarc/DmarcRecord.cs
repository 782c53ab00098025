namespace Postern.Filters.Authentication.Dmarc;

/// <summary>
/// A DMARC policy record (RFC 7489 section 6.3): <c>v=DMARC1</c> first, then the tags Postern
/// acts on: <c>p</c>, <c>sp</c>, <c>adkim</c>, <c>aspf</c> and <c>pct</c>. Reporting tags
/// (<c>rua</c>, <c>ruf</c>, <c>fo</c>, <c>rf</c>, <c>ri</c>) and unknown tags are ignored.
/// </summary>
public sealed record DmarcRecord(DmarcPolicy Policy)
{
    /// <summary>The policy for subdomains of the organizational domain; null: <see cref="Policy"/>.</summary>
    public DmarcPolicy? SubdomainPolicy { get; init; }

    public bool StrictDkim { get; init; }

    public bool StrictSpf { get; init; }

    /// <summary>The percentage of failing mail the policy applies to (0 to 100).</summary>
    public int Percent { get; init; } = 100;

    /// <summary>True when the text starts with the version tag (whatever follows may still be invalid).</summary>
    public static bool IsDmarcRecord(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.Split(';')[0].Split('=');
        return first.Length == 2 && first[0].Trim() == "v" && first[1].Trim() == "DMARC1";
    }

    /// <summary>Parses a record; null with <paramref name="error"/> when a tag Postern acts on is invalid or p is missing.</summary>
    public static DmarcRecord? TryParse(string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = "";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';').Skip(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                tags.TryAdd(part[..equals].Trim().ToLowerInvariant(), part[(equals + 1)..].Trim());
            }
            else if (part.Trim().Length > 0)
            {
                error = $"malformed tag \"{part.Trim()}\"";
                return null;
            }
        }
        if (!tags.TryGetValue("p", out var p) || ParsePolicy(p) is not { } policy)
        {
            error = "p= is missing or not none, quarantine or reject";
            return null;
        }
        DmarcPolicy? subdomain = null;
        if (tags.TryGetValue("sp", out var sp) && (subdomain = ParsePolicy(sp)) is null)
        {
            error = "sp= is not none, quarantine or reject";
            return null;
        }
        var percent = 100;
        if (tags.TryGetValue("pct", out var pct) && (!int.TryParse(pct, out percent) || percent is < 0 or > 100))
        {
            error = "pct= is not a number from 0 to 100";
            return null;
        }
        bool? strictDkim = Alignment(tags, "adkim");
        bool? strictSpf = Alignment(tags, "aspf");
        if (strictDkim is null || strictSpf is null)
        {
            error = "adkim= or aspf= is not r or s";
            return null;
        }
        return new DmarcRecord(policy) { SubdomainPolicy = subdomain, Percent = percent, StrictDkim = strictDkim.Value, StrictSpf = strictSpf.Value };
    }

    private static DmarcPolicy? ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };

    // r (relaxed, the default) or s (strict).
    private static bool? Alignment(Dictionary<string, string> tags, string name) =>
        !tags.TryGetValue(name, out var value) ? false : value.ToLowerInvariant() switch { "r" => false, "s" => true, _ => null };
}

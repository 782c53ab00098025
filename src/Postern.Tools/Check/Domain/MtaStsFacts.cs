namespace Postern.Tools.Check.Domain;

/// <summary>
/// The domain's MTA-STS state: the <c>_mta-sts</c> TXT record, the policy published now (fetched
/// for this check), the policy in Postern's cache (<c>&lt;data_dir&gt;/mta-sts/</c>, read only),
/// and the policy delivery would use right now (<see cref="InForce"/>: the cache while valid and
/// current, else the published one).
/// </summary>
internal sealed record MtaStsFacts
{
    /// <summary>Whether [mta_sts] enabled is true: when false, delivery ignores the rest.</summary>
    public bool Enabled { get; init; }

    /// <summary>"found", "not-found", "invalid" (several or malformed v=STSv1 records) or "failed" (DNS).</summary>
    public required string TxtStatus { get; init; }

    /// <summary>The v=STSv1 record's id, or null.</summary>
    public string? TxtId { get; init; }

    public string? TxtProblem { get; init; }

    /// <summary>The policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt, fetched now; null when not fetched or it failed.</summary>
    public MtaStsPolicyFacts? Published { get; init; }

    /// <summary>Why the published policy could not be had, with its TLS-RPT result type.</summary>
    public string? FetchProblem { get; init; }

    public string? FetchProblemType { get; init; }

    /// <summary>The cached policy, expired or not; null when none.</summary>
    public MtaStsPolicyFacts? Cached { get; init; }

    /// <summary>Why the cache file could not be used, or null.</summary>
    public string? CacheProblem { get; init; }

    /// <summary>The policy delivery would apply now; null when none applies.</summary>
    public MtaStsPolicyFacts? InForce { get; init; }

    /// <summary>"found", "no-policy" or "unavailable": what delivery's lookup answered.</summary>
    public string InForceStatus { get; init; } = "no-policy";
}

using Postern.Delivery.MtaSts;

namespace Postern.Tools.Check.Domain;

/// <summary>One MTA-STS policy as the report shows it.</summary>
internal sealed record MtaStsPolicyFacts(
    string Id, string Mode, IReadOnlyList<string> Mx, long MaxAgeSeconds, DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt, bool Expired)
{
    public static MtaStsPolicyFacts Of(MtaStsPolicy policy, DateTimeOffset now) => new(
        policy.Id,
        MtaStsPolicySource.ModeText(policy.Mode),
        policy.MxPatterns,
        (long)policy.MaxAge.TotalSeconds,
        policy.FetchedAt,
        policy.ExpiresAt,
        policy.ExpiresAt <= now);
}

namespace Postern.Delivery.MtaSts;

/// <summary>The answer for one domain: the status, the policy when found, and what went wrong otherwise.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Policy">The policy when <see cref="MtaStsLookupStatus.Found"/>.</param>
/// <param name="FromCache">True when the policy came from the disk cache rather than a fetch just now.</param>
/// <param name="Problem">Why the policy is unavailable (for the log and TLS-RPT); null otherwise.</param>
/// <param name="ProblemType">The TLS-RPT result type of the problem (sts-policy-fetch-error, sts-policy-invalid, sts-webpki-invalid); null otherwise.</param>
public sealed record MtaStsLookup(
    MtaStsLookupStatus Status,
    MtaStsPolicy? Policy,
    bool FromCache = false,
    string? Problem = null,
    Core.TlsReporting.TlsReportResultType? ProblemType = null)
{
    public static MtaStsLookup None { get; } = new(MtaStsLookupStatus.NoPolicy, null);
}

using Postern.Core.TlsReporting;

namespace Postern.Delivery.Security;

/// <summary>The policy a session is counted under for TLS-RPT (RFC 8460 4.4): whose it is and what it said.</summary>
/// <param name="PolicyDomain">The recipient domain.</param>
/// <param name="PolicyType">tlsa, sts or no-policy-found.</param>
/// <param name="PolicyStrings">The TLSA records or the MTA-STS policy lines.</param>
/// <param name="PolicyMxHost">The TLSA base domain, or the STS pattern the MX matched; null when none.</param>
public sealed record TlsReportPolicy(string PolicyDomain, TlsReportPolicyType PolicyType, IReadOnlyList<string> PolicyStrings, string? PolicyMxHost)
{
    public static TlsReportPolicy NoPolicy(string domain) => new(domain, TlsReportPolicyType.NoPolicyFound, [], null);
}

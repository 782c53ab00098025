using System.Net;

namespace Postern.Core.TlsReporting;

/// <summary>
/// One outbound session attempt as TLS-RPT (RFC 8460) counts it: the policy it was held to, the
/// host it reached and, when it failed, why. <see cref="Failure"/> null means a successful session.
/// </summary>
/// <param name="PolicyDomain">The recipient domain the policy belongs to ("policy-domain").</param>
/// <param name="PolicyType">The policy applied.</param>
/// <param name="PolicyStrings">The TLSA records in presentation form, or the MTA-STS policy's lines ("policy-string"); empty for no-policy-found.</param>
/// <param name="PolicyMxHost">"mx-host": the MX pattern of the STS policy that matched, or the host of the TLSA records; null when none.</param>
/// <param name="ReceivingMxHostName">The MX host name tried ("receiving-mx-hostname").</param>
/// <param name="ReceivingAddress">The address connected to, when a connection was made.</param>
/// <param name="SendingAddress">This host's address on that connection, when known.</param>
/// <param name="Failure">Why the session failed; null when it succeeded.</param>
/// <param name="FailureDetail">A short human-readable detail ("additional-information"), never a secret.</param>
/// <param name="At">When the session was attempted.</param>
public sealed record TlsSessionOutcome(
    string PolicyDomain,
    TlsReportPolicyType PolicyType,
    IReadOnlyList<string> PolicyStrings,
    string? PolicyMxHost,
    string ReceivingMxHostName,
    IPAddress? ReceivingAddress,
    IPAddress? SendingAddress,
    TlsReportResultType? Failure,
    string? FailureDetail,
    DateTimeOffset At)
{
    public bool Succeeded => Failure is null;
}

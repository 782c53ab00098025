using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;

namespace Postern.Delivery.Security;

/// <summary>
/// Holds the certificate a server presented after STARTTLS to what its host's plan requires:
/// the TLSA records under DANE (<see cref="DaneMatcher"/>), PKIX and the MX host name under
/// MTA-STS and <c>verify</c> (the client TLS context's verification, wildcards included), nothing
/// under <c>encrypt</c> and <c>may</c>. A certificate that did not pass grants nothing.
/// </summary>
internal static class ServerCertificateCheck
{
    public static ServerCertificateVerdict Check(
        HostSecurity security,
        CertificateVerification pkix,
        X509Certificate2? leaf,
        IReadOnlyCollection<X509Certificate2> intermediates,
        string relay,
        DateTimeOffset now)
    {
        var reason = pkix.Reason ?? pkix.Failure.ToString();
        switch (security.Requirement)
        {
            case TlsRequirement.Dane:
                return Dane(security, pkix, leaf, intermediates, relay, now);
            case TlsRequirement.StsEnforce:
                return pkix.IsOk
                    ? new(pkix, true, null, null, null)
                    : new(pkix, false, DeliveryReplies.StsNotVerified(relay, reason), FailureOf(pkix), reason);
            case TlsRequirement.StsTesting:
                if (!pkix.IsOk)
                {
                    return new(pkix, false, null, FailureOf(pkix), reason);
                }
                return security.OutsideStsPolicy
                    ? new(pkix, false, null, TlsReportResultType.StsPolicyInvalid, $"{security.Host.Name} is not in the MTA-STS policy")
                    : new(pkix, false, null, null, null);
            case TlsRequirement.Verify:
                return pkix.IsOk
                    ? new(pkix, true, null, null, null)
                    : new(pkix, false, DeliveryReplies.CertificateNotVerified(relay, reason), FailureOf(pkix), reason);
            default:
                return new(pkix, false, null, null, null);
        }
    }

    private static ServerCertificateVerdict Dane(
        HostSecurity security, CertificateVerification pkix, X509Certificate2? leaf, IReadOnlyCollection<X509Certificate2> intermediates, string relay, DateTimeOffset now)
    {
        var verdict = leaf is null
            ? DaneVerdict.Failed(TlsReportResultType.ValidationFailure, "no certificate")
            : DaneMatcher.Match(leaf, intermediates, security.Tlsa, security.ReferenceNames, now);
        if (verdict.IsMatch)
        {
            return new(new CertificateVerification(VerifyResult.Ok, VerifyFailure.None, null, pkix.Certificate), true, null, null, null);
        }
        var problem = verdict.Problem ?? "no TLSA record matched";
        var failure = verdict.Failure switch
        {
            TlsReportResultType.CertificateExpired => VerifyFailure.Expired,
            TlsReportResultType.CertificateHostMismatch => VerifyFailure.HostNameMismatch,
            _ => VerifyFailure.Untrusted,
        };
        var shown = new CertificateVerification(VerifyResult.Fail, failure, problem, pkix.Certificate);
        return new(shown, false, DeliveryReplies.DaneNotAuthenticated(relay, problem), verdict.Failure ?? TlsReportResultType.TlsaInvalid, problem);
    }

    /// <summary>The RFC 8460 result type of a failed PKIX verification.</summary>
    public static TlsReportResultType FailureOf(CertificateVerification pkix) => pkix.Failure switch
    {
        VerifyFailure.Untrusted => TlsReportResultType.CertificateNotTrusted,
        VerifyFailure.Expired or VerifyFailure.NotYetValid => TlsReportResultType.CertificateExpired,
        VerifyFailure.HostNameMismatch => TlsReportResultType.CertificateHostMismatch,
        _ => TlsReportResultType.ValidationFailure,
    };
}

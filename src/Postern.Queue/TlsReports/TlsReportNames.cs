using Postern.Core.TlsReporting;

namespace Postern.Queue.TlsReports;

/// <summary>The words RFC 8460 sections 4.3 and 4.4 use for policy types and result types.</summary>
public static class TlsReportNames
{
    public static string PolicyType(TlsReportPolicyType type) => type switch
    {
        TlsReportPolicyType.Tlsa => "tlsa",
        TlsReportPolicyType.Sts => "sts",
        _ => "no-policy-found",
    };

    public static string ResultType(TlsReportResultType result) => result switch
    {
        TlsReportResultType.StartTlsNotSupported => "starttls-not-supported",
        TlsReportResultType.CertificateHostMismatch => "certificate-host-mismatch",
        TlsReportResultType.CertificateExpired => "certificate-expired",
        TlsReportResultType.CertificateNotTrusted => "certificate-not-trusted",
        TlsReportResultType.TlsaInvalid => "tlsa-invalid",
        TlsReportResultType.DnssecInvalid => "dnssec-invalid",
        TlsReportResultType.DaneRequired => "dane-required",
        TlsReportResultType.StsPolicyFetchError => "sts-policy-fetch-error",
        TlsReportResultType.StsPolicyInvalid => "sts-policy-invalid",
        TlsReportResultType.StsWebpkiInvalid => "sts-webpki-invalid",
        _ => "validation-failure",
    };
}

namespace Postern.Core.TlsReporting;

/// <summary>Why a TLS session failed, in RFC 8460 section 4.3's result types ("result-type").</summary>
public enum TlsReportResultType
{
    /// <summary>"starttls-not-supported": the host did not offer STARTTLS.</summary>
    StartTlsNotSupported,

    /// <summary>"certificate-host-mismatch": the certificate names none of the expected hosts.</summary>
    CertificateHostMismatch,

    /// <summary>"certificate-expired".</summary>
    CertificateExpired,

    /// <summary>"certificate-not-trusted": no chain to a trusted CA.</summary>
    CertificateNotTrusted,

    /// <summary>"validation-failure": any other failure of the handshake or the checks.</summary>
    ValidationFailure,

    /// <summary>"tlsa-invalid": the certificate matched no usable TLSA record.</summary>
    TlsaInvalid,

    /// <summary>"dnssec-invalid": the TLSA (or MX/address) lookup failed validation or timed out.</summary>
    DnssecInvalid,

    /// <summary>"dane-required": the policy required DANE and the host has no usable TLSA records.</summary>
    DaneRequired,

    /// <summary>"sts-policy-fetch-error": the domain publishes _mta-sts but its policy could not be fetched.</summary>
    StsPolicyFetchError,

    /// <summary>"sts-policy-invalid": the fetched policy did not parse, or the MX host is outside it.</summary>
    StsPolicyInvalid,

    /// <summary>"sts-webpki-invalid": the policy host's HTTPS certificate did not verify.</summary>
    StsWebpkiInvalid,
}

namespace Postern.Delivery.Security;

/// <summary>What one outbound session must prove about TLS before mail goes over it.</summary>
public enum TlsRequirement
{
    /// <summary>STARTTLS when offered; the certificate is checked and logged but not required.</summary>
    May,

    /// <summary>TLS required; the certificate need not verify.</summary>
    Encrypt,

    /// <summary>TLS required, and the certificate must verify (PKIX) for the host name: the <c>verify</c> level.</summary>
    Verify,

    /// <summary>TLS required, and the certificate must match one of the host's validated TLSA records.</summary>
    Dane,

    /// <summary>MTA-STS enforce: TLS required, PKIX-valid for the MX host name (wildcards as RFC 6125).</summary>
    StsEnforce,

    /// <summary>MTA-STS testing: checked as under enforce and reported, but the mail goes anyway.</summary>
    StsTesting,
}

namespace Postern.Core.TlsReporting;

/// <summary>The policy a TLS session was held to, as RFC 8460 section 4.4 names it ("policy-type").</summary>
public enum TlsReportPolicyType
{
    /// <summary>"tlsa": DANE TLSA records (RFC 7672) applied.</summary>
    Tlsa,

    /// <summary>"sts": an MTA-STS policy (RFC 8461) applied, in enforce or testing mode.</summary>
    Sts,

    /// <summary>"no-policy-found": neither applied; counted so a domain sees its unprotected sessions.</summary>
    NoPolicyFound,
}

namespace Postern.Delivery.Dane;

/// <summary>What the TLSA lookup for one host found.</summary>
public enum TlsaLookupStatus
{
    /// <summary>Validated TLSA records exist (they may still all be unusable).</summary>
    Secure,

    /// <summary>DNSSEC proved there are none: DANE does not apply to this host.</summary>
    NotFound,

    /// <summary>The answer was not validated (unsigned zone, or a resolver that does not validate): DANE does not apply.</summary>
    Insecure,

    /// <summary>SERVFAIL, a bogus answer or a timeout: the host must be deferred (RFC 7672 2.2).</summary>
    Failed,
}

namespace Postern.Delivery.Relay;

/// <summary>How hard the relay client insists on TLS (delivery.tls, per route).</summary>
public enum OutboundTlsPolicy
{
    /// <summary>STARTTLS when offered; clear text only when it is not offered.</summary>
    May,

    /// <summary>TLS required, any certificate; otherwise defer.</summary>
    Encrypt,

    /// <summary>TLS required and the server certificate must verify and match the host name; otherwise defer.</summary>
    Verify,

    /// <summary>
    /// DANE (RFC 7672) where the host's TLSA records are validated by DNSSEC; otherwise the
    /// domain's MTA-STS policy; otherwise as <see cref="May"/>.
    /// </summary>
    Dane,

    /// <summary>DANE required: a host without validated, usable TLSA records is deferred.</summary>
    DaneOnly,
}

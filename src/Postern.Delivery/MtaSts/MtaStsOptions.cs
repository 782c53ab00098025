using System.Net;

namespace Postern.Delivery.MtaSts;

/// <summary><c>[mta_sts]</c>: whether MTA-STS applies to MX delivery, and how policies are fetched.</summary>
public sealed record MtaStsOptions
{
    /// <summary><c>mta_sts.enabled</c>: on by default.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>mta_sts.fetch_timeout</c>: the deadline of one whole policy fetch (connect, TLS, request, body).</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>mta_sts.connect_to</c>: every fetch connects here instead of mta-sts.DOMAIN's address (tests);
    /// SNI, the certificate check and the Host header still use mta-sts.DOMAIN.
    /// </summary>
    public IPEndPoint? ConnectTo { get; init; }
}

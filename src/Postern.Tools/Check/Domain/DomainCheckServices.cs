using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Tools.Check.Domain;

/// <summary>What <see cref="DomainCheck"/> asks: DNS (MX, TLSA, TXT), MTA-STS (fetcher, the daemon's cache read only, the source delivery uses), TLS-RPT's record lookup.</summary>
internal sealed record DomainCheckServices(
    IMxResolver Mx,
    ITlsaResolver Tlsa,
    ITxtResolver Txt,
    IMtaStsPolicyFetcher PolicyFetcher,
    MtaStsPolicyCache PolicyCache,
    IMtaStsPolicySource PolicySource,
    ITlsRptRecordResolver TlsRpt)
{
    /// <summary>Whether [mta_sts] is enabled (delivery ignores policies otherwise).</summary>
    public bool MtaStsEnabled { get; init; } = true;

    /// <summary>The SMTP port of MX hosts: 25, other in tests.</summary>
    public int Port { get; init; } = 25;

    /// <summary>delivery.tls: the level the plan starts from.</summary>
    public OutboundTlsPolicy Level { get; init; } = OutboundTlsPolicy.Dane;
}

using System.Net;
using Postern.Core.Tls;
using Postern.Delivery.Routing;

namespace Postern.Delivery.Relay;

/// <summary>How mail for other domains leaves: <c>[delivery]</c> and <c>[[route]]</c>.</summary>
public sealed record RelayOptions
{
    /// <summary><c>delivery.smarthost</c> (sendmail's SMART_HOST); null for MX delivery.</summary>
    public NextHop? SmartHost { get; init; }

    /// <summary><c>[[route]]</c> entries (sendmail's mailertable), checked before the smart host.</summary>
    public IReadOnlyList<RelayRoute> Routes { get; init; } = [];

    /// <summary>
    /// <c>delivery.tls</c>: the policy wherever a route sets none. DANE by default: it applies only
    /// where DNSSEC validated the records, so with a resolver that does not validate it acts as
    /// the domain's MTA-STS policy or <see cref="OutboundTlsPolicy.May"/>.
    /// </summary>
    public OutboundTlsPolicy Tls { get; init; } = OutboundTlsPolicy.Dane;

    /// <summary><c>delivery.dns_servers</c>; empty for the system's resolvers.</summary>
    public IReadOnlyList<IPEndPoint> DnsServers { get; init; } = [];

    /// <summary><c>delivery.dnssec_probe_signed</c>: a signed name the resolver must answer with AD; null for no such probe.</summary>
    public string? DnssecProbeSigned { get; init; } = ".";

    /// <summary><c>delivery.dnssec_probe_broken</c>: a deliberately broken signed name a validating resolver answers with SERVFAIL; null for no such probe.</summary>
    public string? DnssecProbeBroken { get; init; } = "dnssec-failed.org";

    /// <summary>The name in EHLO; the binder defaults it to server.hostname.</summary>
    public string HeloName { get; init; } = "localhost";

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Parallel connections to one destination.</summary>
    public int MaxPerDestination { get; init; } = 4;

    /// <summary>Absolute path of the sendmail-style AuthInfo file of relay credentials, or null.</summary>
    public string? AuthFile { get; init; }

    /// <summary>
    /// Absolute path of <c>delivery.sender_auth_file</c>: AuthInfo entries keyed by sender address
    /// or @domain, which win over a route's and the host's credentials; or null.
    /// </summary>
    public string? SenderAuthFile { get; init; }

    /// <summary>Absolute path of a PEM bundle of CAs for verifying servers; null for the system store.</summary>
    public string? VerifyCaFile { get; init; }

    /// <summary>
    /// <c>delivery.https_ca_file</c>: absolute path of a PEM bundle of CAs for Postern's own HTTPS
    /// (the MTA-STS policy fetch, TLS-RPT report POSTs); null for the system store.
    /// </summary>
    public string? HttpsCaFile { get; init; }

    /// <summary>The routes' own client certificates, each once.</summary>
    public IReadOnlyCollection<CertificateFiles> RouteCertificates() =>
        Routes.Select(r => r.ClientCertificate).OfType<CertificateFiles>().Distinct().ToArray();
}

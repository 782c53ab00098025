using Postern.Config.Lint;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Config.Check;

/// <summary>
/// <c>config check</c>'s DNSSEC line: when any destination may use DANE (<c>delivery.tls</c> or a
/// route's <c>tls</c> is <c>dane</c> or <c>dane-only</c>), whether <c>delivery.dns_servers</c>
/// validates, probed as the daemon probes it at start, within <see cref="Deadline"/>.
/// </summary>
internal static class DnssecChecks
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<ConfigWarning> Probe(PosternConfiguration configuration, DnssecProbeRunner probe, TimeProvider clock)
    {
        var relay = configuration.Relay;
        if (!UsesDane(relay))
        {
            return [];
        }
        using var deadline = new CancellationTokenSource(Deadline, clock);
        DnssecProbeResult result;
        try
        {
            // A command, not a server: waiting here blocks nothing else.
            result = probe(relay, deadline.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            result = new DnssecProbeResult(false, false, $"the DNSSEC probe got no answer within {Deadline.TotalSeconds:0} s: whether delivery.dns_servers validates is unknown");
        }
        return result.Problem is { } problem ? [new ConfigWarning("dnssec", problem)] : [];
    }

    /// <summary>The real probe: the resolver the daemon would use, the names configured.</summary>
    public static Task<DnssecProbeResult> RunProbeAsync(RelayOptions relay, CancellationToken cancellationToken) =>
        DnssecProbe.RunAsync(
            new ValidatingDnsClient(new DnsResolverOptions { Servers = relay.DnsServers, UseCache = false, Retries = 1, QueryTimeout = TimeSpan.FromSeconds(3) }),
            relay.DnssecProbeSigned,
            relay.DnssecProbeBroken,
            cancellationToken);

    private static bool UsesDane(RelayOptions relay) =>
        IsDane(relay.Tls) || relay.Routes.Any(r => r.Tls is { } tls && IsDane(tls));

    private static bool IsDane(OutboundTlsPolicy tls) => tls is OutboundTlsPolicy.Dane or OutboundTlsPolicy.DaneOnly;
}

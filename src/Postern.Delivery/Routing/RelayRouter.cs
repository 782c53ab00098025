using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>
/// <see cref="IRelayRouter"/> from the route table and DNS: a route or the smart host when one
/// applies, else the recipient domain's MX hosts; the TLS policy of the route, else the global one.
/// A bracketed next hop (<c>[relay.internal]:587</c>) skips MX lookup and takes its addresses from
/// <paramref name="hosts"/> (the system's host lookup in the daemon, so /etc/hosts counts, as in
/// sendmail). A configured next hop that cannot be resolved defers rather than bounces: it is a
/// local configuration or DNS problem, not the recipient's. Under <c>dane-only</c> a bracketed
/// hop is looked up in DNS instead (when <paramref name="resolver"/> can), since only DNS can say
/// whether its addresses were validated. Only the recipient domain's own MX hosts are an MX
/// delivery, where its MTA-STS policy applies.
/// </summary>
public sealed class RelayRouter(RouteTable routes, IMxResolver resolver, IHostResolver hosts, OutboundTlsPolicy defaultTls) : IRelayRouter
{
    public async ValueTask<RelayDestination> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.StartsWith('['))
        {
            return RelayDestination.Permanent("address literals are not relayed");
        }
        var match = routes.Lookup(domain);
        var tls = match.Tls ?? defaultTls;
        var hop = match.Via;
        RelayDestination destination;
        if (hop is null)
        {
            destination = await resolver.ResolveMxAsync(domain, NextHop.DefaultPort, cancellationToken);
            destination = destination with { IsMxDelivery = true };
        }
        else if (hop.Address is not null)
        {
            destination = new RelayDestination(RelayDestinationStatus.Ok, [new RelayHost(hop.Host, [hop.Address], hop.Port)], tls);
        }
        else
        {
            var hostLookup = tls == OutboundTlsPolicy.DaneOnly && resolver is IHostResolver dns ? dns : hosts;
            destination = hop.SkipMx
                ? await hostLookup.ResolveHostAsync(hop.Host, hop.Port, cancellationToken)
                : await resolver.ResolveMxAsync(hop.Host, hop.Port, cancellationToken);
            if (destination.Status == RelayDestinationStatus.PermanentFailure)
            {
                destination = RelayDestination.Temporary($"{match.Source} {hop}: {destination.Problem}");
            }
        }
        return destination.Status == RelayDestinationStatus.Ok ? destination with { Tls = tls, Route = match.Route } : destination;
    }
}

using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>What the route table says for one domain.</summary>
/// <param name="Via">The next hop; null for MX delivery of the recipient domain itself.</param>
/// <param name="Tls">The route's TLS policy; null for the global one.</param>
/// <param name="Source">Why: "route example.org", "smarthost" or "mx", for logs.</param>
public sealed record RouteMatch(NextHop? Via, OutboundTlsPolicy? Tls, string Source)
{
    /// <summary>The <c>[[route]]</c> that matched, or null for the smart host or MX delivery.</summary>
    public RelayRoute? Route { get; init; }
}

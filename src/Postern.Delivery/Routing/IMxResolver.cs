using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>DNS for relaying. Results carry <see cref="Relay.OutboundTlsPolicy.May"/>; the router sets the policy.</summary>
public interface IMxResolver
{
    /// <summary>
    /// The hosts that take mail for <paramref name="domain"/>: its MX hosts in preference order
    /// (equal preferences shuffled), the domain itself when it has no MX (implicit MX), a
    /// permanent failure for a null MX or a domain that does not exist, a temporary one when DNS fails.
    /// </summary>
    ValueTask<RelayDestination> ResolveMxAsync(string domain, int port, CancellationToken cancellationToken);
}

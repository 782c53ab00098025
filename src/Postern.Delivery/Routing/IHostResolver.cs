using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>The addresses of one named host, for a next hop that skips MX lookup (<c>[relay.example]:587</c>).</summary>
public interface IHostResolver
{
    /// <summary>
    /// <paramref name="host"/>'s addresses as a single host on <paramref name="port"/>: a permanent
    /// failure when the name has no address, a temporary one when the lookup fails for now.
    /// </summary>
    ValueTask<RelayDestination> ResolveHostAsync(string host, int port, CancellationToken cancellationToken);
}

namespace Postern.Delivery.Relay;

/// <summary>Decides where mail for a non-local domain goes: a route, the smart host, or the domain's MX hosts.</summary>
public interface IRelayRouter
{
    ValueTask<RelayDestination> ResolveAsync(string domain, CancellationToken cancellationToken);
}

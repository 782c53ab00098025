using Postern.Delivery.Relay;

namespace Postern.Tests.Delivery.Relay;

/// <summary>Answers from a table by domain; unknown domains are a permanent failure.</summary>
internal sealed class FakeRelayRouter : IRelayRouter
{
    private readonly Dictionary<string, RelayDestination> _destinations = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Asked { get; } = [];

    public FakeRelayRouter Add(string domain, RelayDestination destination)
    {
        _destinations[domain] = destination;
        return this;
    }

    public ValueTask<RelayDestination> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        lock (Asked)
        {
            Asked.Add(domain);
        }
        return ValueTask.FromResult(_destinations.TryGetValue(domain, out var destination) ? destination : RelayDestination.Permanent("no such domain"));
    }
}

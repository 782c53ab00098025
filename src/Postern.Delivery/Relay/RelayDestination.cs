namespace Postern.Delivery.Relay;

/// <summary>Where mail for one domain goes: hosts in order of preference, the TLS policy, or why nowhere.</summary>
public sealed record RelayDestination(
    RelayDestinationStatus Status,
    IReadOnlyList<RelayHost> Hosts,
    OutboundTlsPolicy Tls,
    string? Problem = null)
{
    public static RelayDestination Permanent(string problem) => new(RelayDestinationStatus.PermanentFailure, [], OutboundTlsPolicy.May, problem);

    public static RelayDestination Temporary(string problem) => new(RelayDestinationStatus.TemporaryFailure, [], OutboundTlsPolicy.May, problem);
}

namespace Postern.Delivery.Relay;

/// <summary>Where mail for one domain goes: hosts in order of preference, the TLS policy, or why nowhere.</summary>
public sealed record RelayDestination(
    RelayDestinationStatus Status,
    IReadOnlyList<RelayHost> Hosts,
    OutboundTlsPolicy Tls,
    string? Problem = null)
{
    /// <summary>The domain publishes a null MX (RFC 7505): it takes no mail, 556 5.1.10.</summary>
    public bool IsNullMx { get; init; }

    public static RelayDestination NullMx(string domain) =>
        Permanent(domain + " publishes a null MX") with { IsNullMx = true };

    public static RelayDestination Permanent(string problem) => new(RelayDestinationStatus.PermanentFailure, [], OutboundTlsPolicy.May, problem);

    public static RelayDestination Temporary(string problem) => new(RelayDestinationStatus.TemporaryFailure, [], OutboundTlsPolicy.May, problem);
}

namespace Postern.Delivery.Relay;

/// <summary>Where mail for one domain goes: hosts in order of preference, the TLS policy, or why nowhere.</summary>
public sealed record RelayDestination(
    RelayDestinationStatus Status,
    IReadOnlyList<RelayHost> Hosts,
    OutboundTlsPolicy Tls,
    string? Problem = null)
{
    /// <summary>
    /// True when the hosts are the recipient domain's own MX hosts (or its implicit MX), not a
    /// configured next hop: only then does the domain's MTA-STS policy apply (RFC 8461 4.1).
    /// </summary>
    public bool IsMxDelivery { get; init; }

    /// <summary>The <c>[[route]]</c> that chose these hosts (its client certificate and AUTH identity), or null.</summary>
    public Routing.RelayRoute? Route { get; init; }

    /// <summary>The domain publishes a null MX (RFC 7505): it takes no mail, 556 5.1.10.</summary>
    public bool IsNullMx { get; init; }

    public static RelayDestination NullMx(string domain) =>
        Permanent(domain + " publishes a null MX") with { IsNullMx = true };

    public static RelayDestination Permanent(string problem) => new(RelayDestinationStatus.PermanentFailure, [], OutboundTlsPolicy.May, problem);

    public static RelayDestination Temporary(string problem) => new(RelayDestinationStatus.TemporaryFailure, [], OutboundTlsPolicy.May, problem);
}

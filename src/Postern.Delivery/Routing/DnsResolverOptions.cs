using System.Net;

namespace Postern.Delivery.Routing;

/// <summary>How <see cref="DnsMxResolver"/> asks DNS.</summary>
public sealed record DnsResolverOptions
{
    /// <summary>Name servers to ask (<c>delivery.dns_servers</c>); empty for the system's resolvers.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>How long one query waits for an answer.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Further tries of a query that timed out, per server.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Whether a host's IPv6 addresses come before its IPv4 ones (IPv4 first by default).</summary>
    public bool PreferIPv6 { get; init; }

    /// <summary>Answers are cached for their TTL; tests turn this off.</summary>
    public bool UseCache { get; init; } = true;
}

using System.Net;

namespace Postern.Filters.Authentication.Dns;

/// <summary>How <see cref="DnsClientAuthenticationDns"/> asks DNS: the same servers as MX lookups (<c>delivery.dns_servers</c>).</summary>
public sealed record AuthenticationDnsOptions
{
    /// <summary>Name servers to ask; empty for the system's resolvers.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>How long one query waits for an answer.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Further tries of a query that timed out.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Answers are cached for their TTL; tests against a changing zone turn this off.</summary>
    public bool UseCache { get; init; } = true;
}

using System.Net;

namespace Postern.Server.Options;

/// <summary>
/// A listener behind a TCP proxy (HAProxy <c>send-proxy</c> or <c>send-proxy-v2</c>): every
/// connection starts with a PROXY header naming the real client, and only the proxies in
/// <see cref="Trusted"/> may connect.
/// </summary>
/// <param name="Trusted">The networks the proxies connect from; any other peer is closed unheard.</param>
public sealed record ProxyProtocolOptions(IReadOnlyList<IPNetwork> Trusted)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a trusted proxy has to send the whole header after it connects.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Whether <paramref name="address"/> is one of the trusted proxies.</summary>
    public bool Trusts(IPAddress address)
    {
        // A proxy on a dual-stack socket shows up as ::ffff:a.b.c.d; compare it as the IPv4 it is.
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in Trusted)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }
        return false;
    }
}

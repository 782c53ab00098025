using System.Net;

namespace Postern.Config.Lint;

/// <summary>Which address ranges are a site's own by nature (private, loopback, link-local, ULA), as opposed to the Internet's.</summary>
internal static class NetworkScope
{
    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
    ];

    /// <summary>Whether the whole of <paramref name="network"/> lies inside one private range.</summary>
    public static bool IsPrivate(IPNetwork network) =>
        Private.Any(p => p.BaseAddress.AddressFamily == network.BaseAddress.AddressFamily
            && p.PrefixLength <= network.PrefixLength
            && p.Contains(network.BaseAddress));

    /// <summary>
    /// The widest prefix still taken as one site's own public range: a /24 (IPv4) or /48 (IPv6);
    /// anything wider that is not private is "the Internet" to a relay check.
    /// </summary>
    public static bool IsWidePublic(IPNetwork network) =>
        !IsPrivate(network)
        && network.PrefixLength < (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 48);
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Filters.Authentication.Dns;

/// <summary>The reverse-lookup name of an address: <c>4.3.2.1.in-addr.arpa</c>, nibbles under <c>ip6.arpa</c>.</summary>
public static class ReverseName
{
    public static string Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ReversedLabels(address) + (address.AddressFamily == AddressFamily.InterNetwork ? ".in-addr.arpa" : ".ip6.arpa");
    }

    /// <summary>
    /// The address as dot-separated labels in reverse order, as SPF's <c>%{ir}</c> wants it:
    /// octets for IPv4, lower-case nibbles for IPv6 (RFC 7208 section 7.3).
    /// </summary>
    public static string ReversedLabels(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return string.Join('.', Labels(address).Reverse());
    }

    /// <summary>The address as dot-separated labels: dotted quad for IPv4, nibbles for IPv6.</summary>
    public static string DottedLabels(IPAddress address) => string.Join('.', Labels(address));

    private static IEnumerable<string> Labels(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return bytes.Select(b => b.ToString(CultureInfo.InvariantCulture));
        }
        var nibbles = new StringBuilder(64);
        foreach (var b in bytes)
        {
            nibbles.Append(CultureInfo.InvariantCulture, $"{b >> 4:x}").Append(CultureInfo.InvariantCulture, $"{b & 0xf:x}");
        }
        return nibbles.ToString().Select(c => c.ToString());
    }
}

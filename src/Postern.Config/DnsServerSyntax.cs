using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Postern.Core.Addressing;

namespace Postern.Config;

/// <summary>DNS servers: <c>IPv4</c>, <c>IPv4:port</c>, <c>IPv6</c> or <c>[IPv6]:port</c>; port 53 unless given.</summary>
internal static class DnsServerSyntax
{
    public const string Description = "IPv4, IPv4:port, IPv6 or [IPv6]:port (port 53 unless given)";

    public static bool TryParse(string text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        string host = text;
        var port = 53;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && (text[close + 1] != ':' || !EndPointSyntax.TryParsePort(text[(close + 2)..], minimum: 1, out port))))
            {
                return false;
            }
            host = text[1..close];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            endPoint = new IPEndPoint(v6, port);
            return true;
        }
        if (text.Count(c => c == ':') > 1)
        {
            if (IPAddress.TryParse(text, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6)
            {
                endPoint = new IPEndPoint(bare, port);
                return true;
            }
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            host = text[..colon];
            if (!EndPointSyntax.TryParsePort(text[(colon + 1)..], minimum: 1, out port))
            {
                return false;
            }
        }
        var parts = host.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }
        endPoint = new IPEndPoint(IPAddress.Parse(host), port);
        return true;
    }
}

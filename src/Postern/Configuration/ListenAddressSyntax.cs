using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postern.Configuration;

/// <summary>
/// Listener addresses: <c>IPv4:port</c>, <c>[IPv6]:port</c>, <c>*:port</c> (all IPv4) or <c>[::]:port</c>
/// (all IPv6). Host names are refused: a listener binds an address, and DNS at start-up is a trap.
/// </summary>
internal static class ListenAddressSyntax
{
    public const string Description = "IPv4:port, [IPv6]:port, *:port or [::]:port with a port from 0 to 65535 (0: any free port, logged at start)";

    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Any, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !TryParsePort(text[(colon + 1)..], out var port))
        {
            return false;
        }
        var host = text[..colon];
        IPAddress? address;
        if (host == "*")
        {
            address = IPAddress.Any;
        }
        else if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            if (!IPAddress.TryParse(host[1..^1], out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else if (!TryParseDottedQuad(host, out address))
        {
            return false;
        }
        endPoint = new IPEndPoint(address, port);
        return true;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        return text.Length is > 0 and <= 5
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 0 and <= 65535;
    }

    // IPAddress.TryParse accepts "1" or "127.1" as IPv4; a config file should say exactly what it binds.
    private static bool TryParseDottedQuad(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var parts = text.Split('.');
        if (parts.Length != 4
            || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }
        address = IPAddress.Parse(text);
        return true;
    }
}

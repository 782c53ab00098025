using System.Net;
using System.Net.Sockets;
using Postern.Core.Addressing;

namespace Postern.Config;

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
        if (colon <= 0 || !EndPointSyntax.TryParsePort(text[(colon + 1)..], minimum: 0, out var port))
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
        else if (!EndPointSyntax.TryParseDottedQuad(host, out address))
        {
            return false;
        }
        endPoint = new IPEndPoint(address, port);
        return true;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Postern.Core.Addressing;

/// <summary>
/// The strict pieces every "address:port" text in Postern is made of (listeners, next hops, DNS
/// servers): IPAddress.TryParse alone would take "10.1" or "1" as an IPv4 address, and
/// int.TryParse would take "+25" or " 25" as a port.
/// </summary>
public static class EndPointSyntax
{
    /// <summary>A port of 1 to 5 digits within <paramref name="minimum"/>..65535 (0 only where a listener may let the system choose).</summary>
    public static bool TryParsePort(string text, int minimum, out int port)
    {
        port = 0;
        return text.Length is > 0 and <= 5
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port >= minimum && port <= 65535;
    }

    /// <summary>Exactly four decimal parts of 0 to 255.</summary>
    public static bool TryParseDottedQuad(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var parts = text.Split('.');
        if (parts.Length != 4
            || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }
        // From the decimal parts: IPAddress.Parse would take 010 as octal and throw on 09.
        address = new IPAddress(parts.Select(p => byte.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray());
        return true;
    }
}

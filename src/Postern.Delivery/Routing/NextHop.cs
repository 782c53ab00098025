using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Postern.Core.Addressing;

namespace Postern.Delivery.Routing;

/// <summary>
/// A configured next hop in sendmail's notation: <c>host</c>, <c>host:port</c>, <c>[host]</c>,
/// <c>[host]:port</c>, <c>[192.0.2.1]:25</c>, <c>[IPv6:2001:db8::1]</c> or <c>[2001:db8::1]:25</c>.
/// Brackets mean "this host, no MX lookup"; without them the host's MX records are used.
/// </summary>
/// <param name="Host">The host name (lowercase, no trailing dot) or the IP address text.</param>
/// <param name="Address">The address when the host is an IP literal: no DNS needed.</param>
/// <param name="Port">The TCP port, 25 unless given.</param>
/// <param name="SkipMx">True when bracketed: resolve A/AAAA of <paramref name="Host"/>, never its MX.</param>
public sealed record NextHop(string Host, IPAddress? Address, int Port, bool SkipMx)
{
    public const int DefaultPort = 25;

    public const string Syntax = "host, host:port, [host], [host]:port, [192.0.2.1]:port or [IPv6:2001:db8::1]:port (brackets: no MX lookup)";

    public static NextHop Parse(string text) =>
        TryParse(text, out var hop, out var error) ? hop : throw new FormatException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out NextHop? hop, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        hop = null;
        error = null;
        if (text.Length == 0 || text.Any(char.IsWhiteSpace))
        {
            error = "must not be empty or contain spaces";
            return false;
        }

        string host;
        string? portText = null;
        var bracketed = text[0] == '[';
        if (bracketed)
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "has '[' without its ']'";
                return false;
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = "has text after ']' that is not ':port'";
                    return false;
                }
                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && text.IndexOf(':', colon + 1) >= 0)
            {
                error = "looks like an IPv6 address: put it in brackets, e.g. [2001:db8::1]:25";
                return false;
            }
            host = colon >= 0 ? text[..colon] : text;
            portText = colon >= 0 ? text[(colon + 1)..] : null;
        }

        var port = DefaultPort;
        if (portText is not null && !EndPointSyntax.TryParsePort(portText, minimum: 1, out port))
        {
            error = "has a bad port (must be 1 to 65535)";
            return false;
        }

        if (TryParseAddress(host, bracketed, out var address))
        {
            hop = new NextHop(address.ToString(), address, port, SkipMx: true);
            return true;
        }
        if (host.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) || host.Contains(':', StringComparison.Ordinal))
        {
            error = $"has a bad IPv6 address \"{host}\"";
            return false;
        }
        var name = host.EndsWith('.') ? host[..^1] : host;
        if (!IsHostName(name))
        {
            error = $"has a bad host name \"{host}\"";
            return false;
        }
        hop = new NextHop(name.ToLowerInvariant(), null, port, bracketed);
        return true;
    }

    /// <summary>The canonical text form, e.g. <c>[10.0.0.5]:25</c> or <c>[IPv6:2001:db8::1]:25</c>.</summary>
    public override string ToString()
    {
        var host = Address is { AddressFamily: AddressFamily.InterNetworkV6 } ? "IPv6:" + Host : Host;
        var port = Port.ToString(CultureInfo.InvariantCulture);
        return SkipMx ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    private static bool TryParseAddress(string host, bool bracketed, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (bracketed && host.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(host[5..], out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }
        if (bracketed && host.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(host, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }
        return EndPointSyntax.TryParseDottedQuad(host, out address);
    }

    private static bool IsHostName(string name) =>
        name.Length is > 0 and <= 253
        && name.Split('.').All(label =>
            label.Length is > 0 and <= 63
            && label[0] != '-'
            && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
        && !name.Split('.')[^1].All(char.IsAsciiDigit);
}

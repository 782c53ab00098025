using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Postern.Core.Addressing;

namespace Postern.Protocol.Proxy;

/// <summary>
/// The v1 text header: <c>PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n</c> or <c>PROXY UNKNOWN ...\r\n</c>,
/// at most 107 bytes with its CRLF, single spaces, addresses in their canonical text forms.
/// </summary>
internal static class ProxyV1Parser
{
    /// <summary>The longest v1 line, CRLF included (proxy-protocol.txt 2.1).</summary>
    public const int MaxLength = 107;

    /// <summary>The shortest: <c>PROXY UNKNOWN\r\n</c>. Every v1 header is at least this long.</summary>
    public const int MinLength = 15;

    public static ProxyParseResult Parse(ReadOnlySpan<byte> input)
    {
        var window = input[..Math.Min(input.Length, MaxLength)];
        var lineFeed = window.IndexOf((byte)'\n');
        if (lineFeed == 0 || (lineFeed > 0 && window[lineFeed - 1] != (byte)'\r'))
        {
            return ProxyParseResult.Invalid("v1 header ending in a bare LF");
        }
        var end = lineFeed - 1;
        if (lineFeed < 0)
        {
            if (input.Length >= MaxLength)
            {
                return ProxyParseResult.Invalid("v1 header longer than 107 bytes");
            }
            // The line goes on: ask for one more byte at a time, never beyond its CRLF.
            return ProxyParseResult.NeedMore(Math.Max(MinLength, input.Length + 1));
        }
        var line = input[..end];
        foreach (var b in line)
        {
            if (b is < 0x20 or >= 0x7F)
            {
                return ProxyParseResult.Invalid("v1 header with a control or non-ASCII byte");
            }
        }
        var parts = Encoding.ASCII.GetString(line).Split(' ');
        var length = end + 2;
        if (parts.Length >= 2 && parts[1] == "UNKNOWN")
        {
            // The specification lets the rest of an UNKNOWN line be anything; it is ignored.
            return ProxyParseResult.Complete(new ProxyHeader(1, ProxyCommand.Proxy, ProxyAddressFamily.Unspecified, null, null, ProxyTlvs.None), length);
        }
        if (parts.Length != 6)
        {
            return ProxyParseResult.Invalid("v1 header without exactly PROXY, protocol, two addresses and two ports: " + ProxyHeaderParser.Printable(line));
        }
        var family = parts[1] switch
        {
            "TCP4" => ProxyAddressFamily.Inet,
            "TCP6" => ProxyAddressFamily.Inet6,
            _ => (ProxyAddressFamily?)null,
        };
        if (family is null)
        {
            return ProxyParseResult.Invalid("v1 header with protocol " + ProxyHeaderParser.Printable(Encoding.ASCII.GetBytes(parts[1])) + " (TCP4, TCP6 or UNKNOWN)");
        }
        if (!TryAddress(parts[2], family.Value, out var source) || !TryAddress(parts[3], family.Value, out var destination))
        {
            return ProxyParseResult.Invalid("v1 header with an address that is not " + (family == ProxyAddressFamily.Inet ? "IPv4" : "IPv6") + ": " + ProxyHeaderParser.Printable(line));
        }
        if (!TryPort(parts[4], out var sourcePort) || !TryPort(parts[5], out var destinationPort))
        {
            return ProxyParseResult.Invalid("v1 header with a port that is not 0 to 65535: " + ProxyHeaderParser.Printable(line));
        }
        var header = new ProxyHeader(1, ProxyCommand.Proxy, family.Value, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort), ProxyTlvs.None);
        return ProxyParseResult.Complete(header, length);
    }

    private static bool TryAddress(string text, ProxyAddressFamily family, out IPAddress address)
    {
        address = IPAddress.None;
        if (family == ProxyAddressFamily.Inet)
        {
            // No leading zeros: some readers take 010 as octal, so the canonical form is the only one.
            if (EndPointSyntax.TryParseDottedQuad(text, out var v4) && text.Split('.').All(p => p.Length == 1 || p[0] != '0'))
            {
                address = v4;
                return true;
            }
            return false;
        }
        // IPAddress.TryParse also takes IPv4, scope ids and brackets: only the bare IPv6 form is a TCP6 address.
        if (text.Length is 0 or > 45 || text.Contains('%', StringComparison.Ordinal) || text.Contains('[', StringComparison.Ordinal)
            || !text.Contains(':', StringComparison.Ordinal)
            || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        address = v6;
        return true;
    }

    // Decimal without sign, spaces or leading zeros.
    private static bool TryPort(string text, out int port)
    {
        port = 0;
        return text.Length is > 0 and <= 5
            && text.All(char.IsAsciiDigit)
            && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port <= 65535;
    }
}

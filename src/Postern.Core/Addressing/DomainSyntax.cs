using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Core.Addressing;

/// <summary>
/// RFC 5321 domains: host names (RFC 1035 label rules, UTF-8 U-labels allowed per RFC 6531)
/// and address literals (<c>[192.0.2.1]</c>, <c>[IPv6:2001:db8::1]</c>).
/// Failure reasons are fixed texts, never echoes of the input, so they are safe in replies.
/// </summary>
public static class DomainSyntax
{
    public const int MaxDomainOctets = 255;
    public const int MaxLabelOctets = 63;

    private const string IPv6Tag = "IPv6:";

    /// <summary>True for a character that may appear in an unbracketed domain.</summary>
    internal static bool IsDomainChar(char c) => c == '.' || c == '-' || char.IsAsciiLetterOrDigit(c) || IsUtf8Char(c);

    /// <summary>A non-ASCII character acceptable in an address: no C1 controls or spaces.</summary>
    internal static bool IsUtf8Char(char c) => c >= 0x80 && !char.IsControl(c) && !char.IsWhiteSpace(c);

    /// <summary>Validates a host name such as <c>mail.example.org</c> or <c>bücher.example</c>.</summary>
    public static bool IsValidHostName(ReadOnlySpan<char> domain, out string? reason)
    {
        reason = ValidateHostName(domain);
        return reason is null;
    }

    /// <summary>
    /// Validates an address literal including its brackets and returns its normalized text
    /// (the <c>IPv6:</c> tag in canonical case, the address as written).
    /// </summary>
    public static bool TryParseAddressLiteral(ReadOnlySpan<char> literal, out string? normalized, out string? reason)
    {
        normalized = null;
        reason = ValidateAddressLiteral(literal, ref normalized);
        return reason is null;
    }

    private static string? ValidateHostName(ReadOnlySpan<char> domain)
    {
        if (domain.IsEmpty)
        {
            return "missing domain";
        }
        var total = 0;
        var rest = domain;
        while (true)
        {
            var dot = rest.IndexOf('.');
            var label = dot < 0 ? rest : rest[..dot];
            var reason = ValidateLabel(label, out var octets);
            if (reason is not null)
            {
                return reason;
            }
            total += octets;
            if (dot < 0)
            {
                break;
            }
            total++;
            rest = rest[(dot + 1)..];
        }
        return total > MaxDomainOctets ? "domain too long" : null;
    }

    private static string? ValidateLabel(ReadOnlySpan<char> label, out int asciiOctets)
    {
        asciiOctets = label.Length;
        if (label.IsEmpty)
        {
            return "empty domain label";
        }
        if (label[0] == '-' || label[^1] == '-')
        {
            return "domain label starts or ends with '-'";
        }
        var ascii = true;
        for (var i = 0; i < label.Length; i++)
        {
            var c = label[i];
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                continue;
            }
            if (!IsUtf8Char(c) || (char.IsSurrogate(c) && !IsPairedSurrogate(label, i)))
            {
                return "invalid character in domain";
            }
            ascii = false;
        }
        if (!ascii)
        {
            // The 63-octet limit applies to the A-label (punycode) form that goes into the DNS.
            try
            {
                asciiOctets = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(label.ToString()).Length;
            }
            catch (ArgumentException)
            {
                return "invalid internationalized domain label";
            }
        }
        return asciiOctets > MaxLabelOctets ? "domain label too long" : null;
    }

    internal static bool IsPairedSurrogate(ReadOnlySpan<char> text, int index)
    {
        var c = text[index];
        return char.IsHighSurrogate(c)
            ? index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            : index > 0 && char.IsHighSurrogate(text[index - 1]);
    }

    private static string? ValidateAddressLiteral(ReadOnlySpan<char> literal, ref string? normalized)
    {
        if (literal.Length < 2 || literal[0] != '[' || literal[^1] != ']')
        {
            return "invalid address literal";
        }
        var content = literal[1..^1];
        if (content.StartsWith(IPv6Tag, StringComparison.OrdinalIgnoreCase))
        {
            var address = content[IPv6Tag.Length..];
            // Only hex, ':' and '.' (embedded IPv4): this refuses zone ids ("%eth0") and brackets
            // that IPAddress.TryParse would otherwise accept.
            foreach (var c in address)
            {
                if (!char.IsAsciiHexDigit(c) && c is not (':' or '.'))
                {
                    return "invalid IPv6 address literal";
                }
            }
            if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return "invalid IPv6 address literal";
            }
            normalized = "[" + IPv6Tag + address.ToString() + "]";
            return null;
        }
        if (content.Contains(':'))
        {
            return "unsupported address literal";
        }
        if (!IsStrictIPv4(content))
        {
            return "invalid IPv4 address literal";
        }
        normalized = literal.ToString();
        return null;
    }

    // RFC 5321 IPv4-address-literal: exactly four decimal 0-255 parts. Stricter than
    // IPAddress.TryParse, which also takes "1", "1.2" and octal/hex forms.
    private static bool IsStrictIPv4(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }
            foreach (var c in part)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
            if (int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }
        return parts == 4;
    }

    /// <summary>The number of UTF-8 octets <paramref name="text"/> takes on the wire.</summary>
    internal static int Utf8Length(ReadOnlySpan<char> text) => Encoding.UTF8.GetByteCount(text);
}

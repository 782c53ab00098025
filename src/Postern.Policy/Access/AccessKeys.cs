using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postern.Policy.Access;

/// <summary>
/// The key forms: how a written key is normalized and which keys an address, host name or
/// mailbox is looked up under, most specific first. Names, addresses and hex are lowercased;
/// DNs are decoded from +XX and kept exact.
/// </summary>
internal static class AccessKeys
{
    public const string Ipv6Prefix = "ipv6:";

    public static bool TryNormalize(AccessTag tag, string key, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        switch (tag)
        {
            case AccessTag.Other:
                normalized = key.ToLowerInvariant();
                return true;
            case AccessTag.TlsClt or AccessTag.ClientRate or AccessTag.ClientConn or AccessTag.GreetPause:
                // Keyed like Connect:; the empty key is sendmail's default for every client.
                return key.Length == 0 || TryNormalizeAddressKey(AccessTag.Connect, key, out normalized, out error);
            case AccessTag.CertIssuer or AccessTag.CertSubject:
                if (key.Length == 0)
                {
                    error = "missing distinguished name";
                    return false;
                }

                if (!SendmailDnCodec.TryDecode(key, out normalized, out var dnError))
                {
                    error = "bad distinguished name: " + dnError;
                    return false;
                }

                return true;
            case AccessTag.CertFp or AccessTag.CertSpki:
                return TryNormalizeDigest(key, out normalized, out error);
            case AccessTag.CertSan:
                normalized = key.ToLowerInvariant();
                var at = normalized.LastIndexOf('@');
                if (at == 0 || (at > 0 ? !IsDomain(normalized[(at + 1)..]) : !IsDomain(normalized.TrimStart('*', '.'))))
                {
                    error = "CERTSAN needs a DNS name or an email address";
                    return false;
                }

                return true;
            default:
                return TryNormalizeAddressKey(tag, key, out normalized, out error);
        }
    }

    /// <summary>IPv4 <c>1.2.3.4</c>, <c>1.2.3</c>, <c>1.2</c>, <c>1</c>; IPv6 <c>ipv6:</c> + 8 groups, then 7 ... 1 groups.</summary>
    public static IEnumerable<string> AddressCandidates(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var octets = address.GetAddressBytes().Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray();
            for (var n = 4; n >= 1; n--)
            {
                yield return string.Join('.', octets[..n]);
            }

            yield break;
        }

        var groups = Ipv6Groups(address);
        for (var n = 8; n >= 1; n--)
        {
            yield return Ipv6Prefix + string.Join(':', groups[..n]);
        }
    }

    /// <summary>The name, then each parent domain: <c>a.b.example.com</c>, <c>b.example.com</c>, <c>example.com</c>, <c>com</c>.</summary>
    public static IEnumerable<string> DomainCandidates(string name)
    {
        var domain = name.TrimEnd('.').ToLowerInvariant();
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var literal = domain[1..^1];
            if (literal.StartsWith(Ipv6Prefix, StringComparison.Ordinal))
            {
                literal = literal[Ipv6Prefix.Length..];
            }

            if (IPAddress.TryParse(literal, out var address))
            {
                foreach (var candidate in AddressCandidates(address))
                {
                    yield return candidate;
                }
            }

            yield break;
        }

        for (var rest = domain; rest.Length > 0;)
        {
            yield return rest;
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            rest = dot < 0 ? "" : rest[(dot + 1)..];
        }
    }

    private static string[] Ipv6Groups(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var groups = new string[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x", CultureInfo.InvariantCulture);
        }

        return groups;
    }

    private static bool TryNormalizeDigest(string key, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        const string Sha256 = "sha256:";
        if (!key.StartsWith(Sha256, StringComparison.OrdinalIgnoreCase))
        {
            error = "expected sha256:<64 hex digits>";
            return false;
        }

        var hex = key[Sha256.Length..].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            error = "expected sha256:<64 hex digits>, got '" + key[Sha256.Length..] + "'";
            return false;
        }

        normalized = Sha256 + hex;
        return true;
    }

    private static bool TryNormalizeAddressKey(AccessTag tag, string key, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        var lower = key.ToLowerInvariant();
        if (lower.Length == 0)
        {
            error = "missing key";
            return false;
        }

        if (lower == "<>")
        {
            normalized = lower;
            if (tag == AccessTag.Connect)
            {
                error = "'<>' (the null sender) is not a Connect: key";
                return false;
            }

            return true;
        }

        if (lower.StartsWith(Ipv6Prefix, StringComparison.Ordinal))
        {
            return TryNormalizeIpv6(lower[Ipv6Prefix.Length..], out normalized, out error);
        }

        if (lower.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return TryNormalizeIpv4(lower, out normalized, out error);
        }

        var at = lower.LastIndexOf('@');
        if (at >= 0)
        {
            if (tag == AccessTag.Connect)
            {
                error = "a Connect: key is an address or host name, not a mailbox";
                return false;
            }

            var domain = lower[(at + 1)..];
            if (domain.Length > 0 && !IsDomain(domain) && !IsLiteral(domain))
            {
                error = "bad domain '" + domain + "'";
                return false;
            }

            // "@domain" is a synonym of "domain"; "user@" matches the user at any domain.
            normalized = at == 0 ? domain.TrimEnd('.') : lower[..(at + 1)] + domain.TrimEnd('.');
            if (normalized.Length == 0 || normalized == "@")
            {
                error = "a mailbox key needs a user or a domain";
                return false;
            }

            return true;
        }

        if (!IsDomain(lower))
        {
            error = "bad host or domain name '" + key + "'";
            return false;
        }

        normalized = lower.TrimEnd('.');
        return true;
    }

    private static bool TryNormalizeIpv4(string key, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        var parts = key.Split('.');
        if (parts.Length > 4 || parts.Any(p => p.Length == 0 || p.Length > 3
            || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255))
        {
            error = "bad IPv4 address or prefix '" + key + "'";
            return false;
        }

        normalized = string.Join('.', parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)));
        return true;
    }

    // A full address (8 groups, or any form with "::") is one address; 1 to 7 groups without
    // "::" are a prefix on group boundaries (IPv6:2001:db8 = 2001:db8::/32).
    private static bool TryNormalizeIpv6(string text, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        var groups = text.Split(':');
        if (!text.Contains("::", StringComparison.Ordinal) && groups.Length < 8)
        {
            if (groups.Any(g => g.Length is 0 or > 4 || !g.All(char.IsAsciiHexDigit)))
            {
                error = "bad IPv6 prefix '" + text + "'";
                return false;
            }

            normalized = Ipv6Prefix + string.Join(':', groups.Select(g => Convert.ToUInt16(g, 16).ToString("x", CultureInfo.InvariantCulture)));
            return true;
        }

        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6 || text.Contains('%', StringComparison.Ordinal))
        {
            error = "bad IPv6 address '" + text + "'";
            return false;
        }

        normalized = Ipv6Prefix + string.Join(':', Ipv6Groups(address));
        return true;
    }

    private static bool IsLiteral(string domain) => domain.Length > 2 && domain[0] == '[' && domain[^1] == ']';

    private static bool IsDomain(string name)
    {
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        return trimmed.Length is > 0 and <= 253
            && trimmed.Split('.').All(label => label.Length is > 0 and <= 63
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || c > 0x7F));
    }
}
